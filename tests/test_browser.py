"""The built seed site driven in headless Chromium, as a visitor would use it."""
import re


def test_home_to_tag_to_paper_then_search(page, seed_server):
    page.goto(seed_server.url)
    assert "262" in page.locator(".pda-stats").inner_text()
    page.locator(".pda-tag-cloud a", has_text="Attention and Sequence Models").click()
    page.wait_for_url(re.compile(r"/tags/attention/$"))
    assert page.locator("h1").inner_text() == "Attention and Sequence Models"
    first = page.locator(".pda-item__title").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".pda-tags a", has_text="Attention and Sequence Models").count() == 1

    page.locator(".md-search__input").click()
    page.keyboard.type("FlashAttention")
    results = page.locator(".pda-search .md-search-result__list[data-query=FlashAttention] h1")
    results.first.wait_for()
    assert "FlashAttention" in results.first.inner_text()
    assert page.errors == []


def test_the_tag_cloud_wraps_in_rows_and_listed_papers_are_spaced(page, seed_server):
    page.goto(seed_server.url)
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    assert page.evaluate(style, [".pda-tag-cloud", "display"]) == "flex"
    tops = page.locator(".pda-tag-cloud li").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
    assert len(set(tops)) < len(tops) / 2  # several tags a row at 1280 px, not one tag a line
    page.goto(seed_server.url + "tags/attention/")
    assert page.evaluate(style, [".pda-list li.pda-item", "marginBottom"]) != "0px"


def rgb(css_color: str, background: tuple[float, ...] = (1, 1, 1)) -> tuple[float, ...]:
    """An rgb()/rgba() colour as 0..1 channels, blended over `background` by its alpha."""
    values = [float(v) for v in re.findall(r"[\d.]+", css_color)]
    alpha = values[3] if len(values) > 3 else 1
    return tuple(alpha * v / 255 + (1 - alpha) * b for v, b in zip(values[:3], background))


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    """WCAG contrast ratio of two colours."""
    def luminance(color):
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in color]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_on_a_phone_charts_scroll_sideways_rather_than_shrink(browser, seed_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("stats/", "dates/2025/"):
        page.goto(seed_server.url + path)
        figures = page.locator(".pda-chart").all()
        assert figures
        for figure in figures:
            svg = figure.locator("svg")
            assert svg.bounding_box()["width"] >= 600  # labels stay at least 600/720 of their size
            assert figure.evaluate("f => f.scrollWidth > f.clientWidth && getComputedStyle(f).overflowX === 'auto'")
    context.close()


def test_charts_read_in_the_light_and_the_dark_scheme(browser, seed_server):
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)  # a fresh one: the theme remembers a scheme
        page = context.new_page()
        page.goto(seed_server.url + "stats/", wait_until="networkidle")
        bar, text, background = page.evaluate("""() => [
            getComputedStyle(document.querySelector('.pda-chart__bar')).fill,
            getComputedStyle(document.querySelector('.pda-chart__svg text')).fill,
            getComputedStyle(document.body).backgroundColor]""")
        context.close()
        ground = rgb(background)
        assert contrast(rgb(bar, ground), ground) >= 3, f"{scheme}: bars {bar} on {background}"  # WCAG, graphics
        assert contrast(rgb(text, ground), ground) >= 4.5, f"{scheme}: labels {text} on {background}"


def test_the_calendar_and_previous_next_links_lead_through_the_dates(page, seed_server):
    # Each page settles before the next click: leaving earlier would cancel its favicon request.
    page.goto(seed_server.url + "dates/", wait_until="networkidle")
    page.locator("figure.pda-calendar a").first.click()
    page.wait_for_url(re.compile(r"/dates/2025-03-11/$"), wait_until="networkidle")
    page.locator(".pda-daynav a[rel=next]").click()
    page.wait_for_url(re.compile(r"/dates/2025-03-17/$"), wait_until="networkidle")
    assert page.locator("h1").inner_text() == "Papers of March 17, 2025"
    assert page.errors == []
