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
