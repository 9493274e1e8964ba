"""Search: the index's ranking read by search-index.js, and the header search box, in headless Chromium."""
import datetime as dt
import gzip
import json
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import SiteServer, project_of_digests
from generator import search, searchindex
from generator.models import Archive, Paper, SourceMeta, Tag
from generator.site import build
from test_hostile import hostile_digest

FLASH = "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
FLASH2 = "FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning"
ENGINE = Path(__file__).parent.parent / "overrides" / "assets" / "javascripts" / "search-index.js"
SHADOWKV = "ShadowKV: KV Cache in Shadows for High-Throughput Long-Context LLM Inference"


def search_for(page, query: str, **choices) -> list[str]:
    """Type `query` into the header search box, pick filters, and return the result titles."""
    page.locator(".pda-search .md-search__input").click()
    page.keyboard.type(query, delay=20)
    for name, value in choices.items():
        page.locator(f".pda-search__{name}").select_option(value)
    expected = {"query": query, "tag": "", "year": "", "sort": "", **choices}
    page.wait_for_function("""expected => {
        const list = document.querySelector('.pda-search .md-search-result__list');
        return Object.entries(expected).every(([key, value]) => list.dataset[key] === value);
    }""", arg=expected)
    return page.locator(".pda-search .md-search-result__item h1").all_inner_texts()


def test_flashattention_finds_the_flashattention_paper_first(page, seed_server):
    page.goto(seed_server.url)
    assert search_for(page, "FlashAttention")[0] == FLASH
    assert page.errors == []


def test_a_misspelt_word_is_searched_as_the_nearest_word_and_the_status_says_so(page, seed_server):
    page.goto(seed_server.url)
    assert search_for(page, "FlashAtention")[0] == FLASH
    status = page.locator(".pda-search .md-search-result__meta").inner_text()
    assert re.search(r"^\d+ matching papers? \(searched “flashattention” for “flashatention”: no paper has the word typed\)$",
                     status), status
    assert page.errors == []


def test_kv_cache_finds_shadowkv_in_the_first_five(page, seed_server):
    page.goto(seed_server.url)
    assert SHADOWKV in search_for(page, "KV cache")[:5]
    assert page.errors == []


def test_an_exact_title_finds_its_paper_first(page, seed_server):
    page.goto(seed_server.url)
    assert search_for(page, FLASH2)[0] == FLASH2


def test_results_show_highlighted_excerpts_and_dates(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "KV cache")
    first = page.locator(".pda-search .md-search-result__item").first
    marks = [m.lower() for m in first.locator("p mark").all_inner_texts()]
    assert marks[0] == "kv cache" and "kv cache" in first.locator("h1 mark").inner_text().lower()  # one mark a phrase
    assert re.match(r"\d{4}-\d\d-\d\d · ", first.locator(".pda-search-result__about").inner_text())


def result_count(page) -> int:
    return int(page.locator(".pda-search .md-search-result__meta").inner_text().split()[0])


def test_a_results_tags_are_the_papers_in_its_order(page, seed_site, seed_server):
    from generator.content import load
    archive = load(seed_site).archive
    names = {t.slug: t.name for t in archive.tags}
    # a paper whose tags, in its page's order, are not in alphabetical order (which the tagger may change)
    paper = next(p for p in archive.papers if [names[t] for t in p.tags] != sorted(names[t] for t in p.tags))
    page.goto(seed_server.url)
    search_for(page, paper.title)
    about = page.locator(".pda-search .pda-search-result__about").first.inner_text()
    page.locator(".pda-search .md-search-result__item a").first.click()
    page.wait_for_url(re.compile(r"papers/"))
    tags = page.locator(".pda-tags a").all_inner_texts()
    assert tags == [names[t] for t in paper.tags] and about.endswith(" · ".join(tags))


def test_a_tag_filter_narrows_the_results(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "attention")
    everything = result_count(page)
    page.locator(".pda-search__tag").select_option("Hardware and Kernels")
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.tag")
    assert 0 < result_count(page) < everything
    abouts = page.locator(".pda-search-result__about").all_inner_texts()
    assert abouts and all("Hardware and Kernels" in about for about in abouts)
    assert page.errors == []


def counted(page, name: str) -> dict[str, int]:
    labels = page.locator(f".pda-search__{name} option").all_inner_texts()[1:]
    return {m[1]: int(m[2]) for m in (re.fullmatch(r"(.+) \((\d+)\)", label) for label in labels)}


def test_the_filters_count_the_papers_of_the_results(page, seed_server):
    page.goto(seed_server.url)
    page.locator(".pda-search .md-search__input").click()
    page.wait_for_function("() => document.querySelectorAll('.pda-search__tag option').length > 1")
    archive_tags = counted(page, "tag")
    search_for(page, "attention")
    everything = result_count(page)
    page.wait_for_function("() => document.querySelector('.pda-search__year').dataset.counted === 'attention'")
    assert sum(counted(page, "year").values()) == everything
    page.locator(".pda-search__tag").focus()  # counting tags loads every tag's paper list: only once asked
    page.wait_for_function("() => document.querySelector('.pda-search__tag').dataset.counted === 'attention'")
    tags = counted(page, "tag")
    assert tags != archive_tags and all(tags[name] <= archive_tags[name] for name in tags)
    page.locator(".pda-search__tag").select_option("Hardware and Kernels")
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.tag")
    assert result_count(page) == tags["Hardware and Kernels"] > 0
    page.wait_for_function("n => [...document.querySelectorAll('.pda-search__year option')].slice(1)"
                           ".reduce((sum, o) => sum + Number(o.textContent.match(/\\((\\d+)\\)$/)[1]), 0) === n",
                           arg=result_count(page))  # years within the tag chosen
    page.locator(".pda-search .md-search__input").fill("")
    page.wait_for_function("total => document.querySelector('.pda-search__tag option:checked').textContent"
                           " === `Hardware and Kernels (${total})`", arg=archive_tags["Hardware and Kernels"])
    assert page.errors == []


def test_clear_empties_the_box_and_the_filters(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "attention", tag="Hardware and Kernels", sort="date")
    page.locator(".pda-search button[type=reset]").click()
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').children.length === 0")
    assert [page.locator(f".pda-search__{name}").input_value() for name in ("tag", "year", "sort")] == ["", "", ""]
    assert search_for(page, "attention")  # and the next search is over every tag again
    assert page.errors == []


def test_back_from_a_result_the_search_is_as_it_was(page, seed_server):
    page.goto(seed_server.url)
    titles = search_for(page, "attention", tag="Hardware and Kernels")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"papers/"))
    page.go_back()
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.tag")
    assert page.locator(".pda-search .md-search__input").input_value() == "attention"
    assert page.locator(".pda-search__tag").input_value() == "Hardware and Kernels"
    assert page.locator(".pda-search .md-search-result__item h1").all_inner_texts() == titles
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Escape")  # closed: a later return to the page starts afresh
    assert page.evaluate("sessionStorage.getItem('pda-search')") is None
    assert page.errors == []


def test_back_after_closing_and_reopening_the_search_restores_it(page, seed_server):
    page.goto(seed_server.url)
    titles = search_for(page, "attention")
    page.keyboard.press("Escape")  # closing forgets the search…
    page.keyboard.press("/")  # …reopening on the same results keeps it again
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"papers/"))
    page.go_back()
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.query")
    assert page.locator(".pda-search .md-search-result__item h1").all_inner_texts() == titles
    assert page.errors == []


def test_back_to_a_page_the_search_was_not_made_on_opens_no_search(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "FlashAttention")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"papers/"))
    page.locator(".pda-tags a").first.click()
    page.wait_for_url(re.compile(r"/tags/"))
    page.go_back()  # to the paper page, where nobody searched
    page.wait_for_url(re.compile(r"papers/"))
    page.wait_for_load_state("load")
    assert not page.locator("#__search").is_checked()
    assert page.locator(".pda-search .md-search__input").input_value() == ""


def test_ctrl_enter_opens_the_chosen_result_in_a_new_tab(page, seed_server):
    page.goto(seed_server.url)
    first = search_for(page, "FlashAttention")[0]
    with page.context.expect_page() as opened:
        page.keyboard.press("Control+Enter")
    opened.value.wait_for_load_state()
    assert opened.value.locator("h1").inner_text() == first
    assert page.url == seed_server.url  # the search page stays where it was


def test_sort_by_date_featured_puts_the_newest_first(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "attention", sort="date")
    dates = [about.split(" · ")[0] for about in page.locator(".pda-search-result__about").all_inner_texts()]
    assert len(dates) == 10 and dates == sorted(dates, reverse=True) and dates[0] == "2025-06-26"
    assert page.errors == []


def test_search_from_a_paper_page_enter_opens_the_first_result(page, seed_server):
    page.goto(seed_server.url + "papers/" + "flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness/")
    search_for(page, "ShadowKV")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"papers/shadowkv-[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == SHADOWKV
    assert page.errors == []


def test_keyboard_selects_results_and_slash_focuses_the_box(page, seed_server):
    page.goto(seed_server.url)
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    titles = search_for(page, "FlashAttention")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("[aria-selected=true] h1").inner_text() == titles[1]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"papers/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == titles[1]
    page.keyboard.press("s")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    assert page.errors == []


def scroll_results_to_end(page, times: int = 1) -> None:
    page.evaluate("""times => {
        const scroller = document.querySelector('.pda-search .md-search__scrollwrap');
        for (let i = 0; i < times; i += 1) {
            scroller.scrollTop = scroller.scrollHeight;
            scroller.dispatchEvent(new Event('scroll'));
        }
    }""", times)


def result_links(page) -> list[str]:
    return page.locator(".pda-search .md-search-result__link").evaluate_all("links => links.map(a => a.href)")


def test_scrolling_fast_to_the_end_loads_each_next_result_once(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "model")
    scroll_results_to_end(page, times=3)
    page.wait_for_function("() => document.querySelectorAll('.pda-search .md-search-result__item').length >= 20")
    page.wait_for_timeout(300)  # a second load of the same results would have arrived by now
    links = result_links(page)
    assert len(links) == len(set(links)) and len(links) in (20, 30)
    assert page.errors == []


def test_scrolling_while_a_new_search_loads_neither_repeats_nor_skips_results(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "model")
    page.route("**/search-index/papers/*.pda", lambda route: (time.sleep(0.3), route.continue_()))
    page.locator(".pda-search .md-search__input").fill("attention")
    page.wait_for_timeout(200)  # the new search is waiting for its papers' files
    for _ in range(5):
        scroll_results_to_end(page)
        page.wait_for_timeout(100)
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.query === 'attention'")
    scroll_results_to_end(page)
    page.wait_for_function("() => document.querySelectorAll('.pda-search .md-search-result__item').length >= 20")
    page.wait_for_timeout(1500)  # any second load of the same results would have arrived by now
    links = result_links(page)
    assert len(links) == len(set(links))


def test_a_search_while_the_index_is_unreachable_says_so(page, seed_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(seed_site.site_dir, site)
    server = SiteServer(site)
    try:
        page.goto(server.url)
        assert search_for(page, "FlashAttention")[0] == FLASH
        shutil.rmtree(site / "search-index" / "papers")  # a deploy in progress, say
        page.locator(".pda-search .md-search__input").fill("speculative decoding")
        status = page.locator(".pda-search .md-search-result__meta")
        status.filter(has_text="Search is unavailable right now").wait_for()
    finally:
        server.close()


def test_arrow_up_from_the_first_result_goes_back_to_the_box(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "attention")
    chosen = page.locator(".pda-search [aria-selected=true]")
    page.keyboard.press("ArrowUp")  # nothing chosen yet: nothing to go up to
    assert chosen.count() == 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert chosen.count() == 0
    assert page.locator(".pda-search .md-search__input").get_attribute("aria-activedescendant") is None
    for _ in range(10):  # to the last of the 10 results shown first, which loads more below it
        page.keyboard.press("ArrowDown")
    assert chosen.get_attribute("id") == "pda-search-result-9"
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').children.length > 10")
    page.keyboard.press("ArrowDown")  # and goes on into those loaded below it
    assert chosen.get_attribute("id") == "pda-search-result-10"
    page.locator(".pda-search .md-search__input").fill("")
    shown = len(search_for(page, "FlashAttention"))  # fewer than 10: nothing more to load
    for _ in range(shown + 1):  # one past the last: it stays chosen, never wraps to the first
        page.keyboard.press("ArrowDown")
    assert 1 < shown < 10 and chosen.get_attribute("id") == f"pda-search-result-{shown - 1}"
    assert page.errors == []


def test_clicking_a_result_opens_the_paper(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "FlashAttention")
    page.locator(".pda-search .md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"papers/flashattention-fast-[a-z0-9-]+/$"))
    assert page.errors == []


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    text, _ = hostile_digest()
    project = project_of_digests(tmp_path_factory.mktemp("hostile-search") / "project",
                                 {"hostile.txt": ("2025-03-11", text)})
    build(project)
    server = SiteServer(project.site_dir)
    yield server
    server.close()


@pytest.fixture(scope="module")
def imported_server(tmp_path_factory):
    """A site of the 13 papers of a captured Daily Papers API answer, with their arXiv ids."""
    from generator import sources, store
    project = project_of_digests(tmp_path_factory.mktemp("imported-search") / "project", {})
    api = Path(__file__).parent / "fixtures" / "fetch" / "api-2024-08-01.json"
    digest = sources.parse_api(api.read_text(encoding="utf-8"), dt.date(2024, 8, 1), "", "2024-08-02T00:00:00Z")
    (project.digests / digest.source).write_text(store.to_json(digest), encoding="utf-8")
    build(project)
    server = SiteServer(project.site_dir)
    yield server
    server.close()


@pytest.mark.parametrize("query", ["2407.21783", "2407.21783v2", "arXiv:2407.21783", "arXiv: 2407.21783",
                                   "arXiv:2407.21783 [cs.AI]", "https://arxiv.org/html/2407.21783v1",
                                   "https://arxiv.org/abs/2407.21783?context=cs", "https://arxiv.org/abs/2407.21783v2",
                                   "arxiv.org/pdf/2407.21783.pdf", "https://huggingface.co/papers/2407.21783"])
def test_an_arxiv_id_as_shown_or_linked_finds_its_paper_first(page, imported_server, query):
    page.goto(imported_server.url)
    assert search_for(page, query) == ["The Llama 3 Herd of Models"]
    assert page.errors == []


def test_results_show_the_first_authors_and_a_matching_one(page, imported_server):
    page.goto(imported_server.url)
    search_for(page, "Llama 3 Herd")
    first = page.locator(".pda-search .md-search-result__item").first
    assert first.locator(".pda-search-result__authors").inner_text() == (
        "Abhimanyu Dubey, Abhinav Jauhri, Abhinav Pandey et al.")
    page.locator(".pda-search .md-search__input").fill("")
    search_for(page, "Kadian")  # the fourth author of Llama 3
    authors = page.locator(".pda-search .md-search-result__item .pda-search-result__authors").first
    assert authors.inner_text() == "Abhimanyu Dubey, Abhinav Jauhri, Abhinav Pandey, …, Abhishek Kadian"
    assert authors.locator("mark").all_inner_texts() == ["Kadian"]
    assert page.errors == []


def test_tabbing_out_of_the_search_closes_it(page, seed_server):
    page.goto(seed_server.url + "tags/")
    search_for(page, "KV cache")
    page.locator(".pda-search__sort").focus()
    page.keyboard.press("Escape")  # from a filter, not only from the box
    assert not page.locator("#__search").is_checked()
    assert page.evaluate("document.activeElement === document.body")  # the hidden filter lets go
    page.keyboard.press("ArrowDown")  # so keys reach the page, not the sort
    assert page.locator(".pda-search__sort").input_value() == ""
    assert page.evaluate("sessionStorage.getItem('pda-search')") is None
    page.locator(".pda-search .md-search__input").focus()
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Shift+Tab")  # back to the header, out of the dialog
    assert not page.locator("#__search").is_checked()
    assert page.errors == []


def test_a_hostile_title_shows_as_text_in_results(page, hostile_server):
    page.goto(hostile_server.url)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    titles = search_for(page, "onerror")
    assert titles[0] == "<img src=x onerror=alert(1)>"
    assert "<script>alert(1)</script>" in search_for_again(page, "script")
    results = page.locator(".pda-search .md-search-result__list")
    assert results.locator("img, script, b").count() == 0
    assert "&amp; &lt;b&gt;" in search_for_again(page, "amp")  # exactly as written, not decoded
    assert dialogs == [] and page.errors == []


def search_for_again(page, query: str) -> list[str]:
    page.locator(".pda-search .md-search__input").fill("")
    return search_for(page, query)


# The index itself: the same records the site's build writes, searched with Pagefind in Chromium.

def paper(slug: str, title: str, abstract: str, tags=(), arxiv=None, day=11, authors=(), year=2025) -> Paper:
    return Paper(slug, title, abstract, (dt.date(year, 3, day),), SourceMeta(arxiv_id=arxiv, authors=authors), tuple(tags))


FILLER = "The method is evaluated on standard benchmarks and compared with strong baselines in detail."


@pytest.fixture(scope="module")
def index_server(tmp_path_factory):
    site = tmp_path_factory.mktemp("index")
    papers = [
        paper("abstract-only", "A Study of Sequence Models",
              f"Zebrafish zebrafish zebrafish: we model zebrafish swimming. {FILLER}", arxiv="2501.00001"),
        paper("in-title", "Zebrafish Tracking at Scale", f"We track animals in video. {FILLER} {FILLER}"),
        paper("cites-the-id", "Reproducing a Baseline", f"We reproduce arXiv 2407.21783 and 2407.21783 again. {FILLER}"),
        paper("has-the-id", "The Llama 3 Herd of Models", f"A family of language models. {FILLER}", arxiv="2407.21783"),
        paper("tagged", "Learning to Grasp", f"Policies for manipulation. {FILLER}", tags=["robotics"]),
        paper("latex-space", "Efficient Finetuning", f"We propose adapters~(LoRA) for it. {FILLER}"),
        paper("plain-lora", "Serving Concurrent LoRA Adapters", FILLER),
        paper("with-authors", "High-Resolution Image Synthesis", FILLER, authors=("Robin Rombach", "Björn Ommer")),
        paper("cache-word", "Cache Policies", FILLER),
        paper("caches-word", "Two Caches", FILLER),
        paper("caching-word", "Caching Policies", FILLER),
        paper("splat-word", "Splat Rendering", FILLER),
        paper("splatting-word", "Splatting Rendering", FILLER),
        paper("last-year", "An Older Method", FILLER, year=2024),
        paper("next-day", "A Newer Method", FILLER, day=12),
        paper("the-word", "Zebu Models", FILLER),
        paper("a-longer-word", "Zebu Modeling", FILLER),
        *(paper(f"mentions-{n}", f"Study {n}", f"A model of it. {FILLER}") for n in range(15)),
    ]
    archive = Archive(tuple(sorted(papers, key=lambda p: p.slug)), (),
                      (Tag("robotics", "Robotics and Autonomous Systems", "Robots."),))
    report = search.write_index(archive, site)
    assert report.papers == len(papers) and report.seconds > 0 and report.bytes > 0
    server = engine_site(site)
    yield server
    server.close()


def engine_site(folder: Path) -> SiteServer:
    """search-index.js and a bare page beside the index in `folder`, served."""
    shutil.copy2(ENGINE, folder)
    # An empty icon: Chromium would otherwise ask for /favicon.ico and log its 404 as a page error.
    (folder / "index.html").write_text('<!doctype html><html lang="en"><head><link rel="icon" href="data:,">'
                                       '</head><body></body></html>', encoding="utf-8")
    return SiteServer(folder)


def corrected_search(page, server, query: str, **choices) -> tuple[list[str], dict[str, str]]:
    """The URLs of the papers search-index.js finds for `query` (with `choices`: tag, year, sort),
    and each word it read as another."""
    page.goto(server.url)
    return tuple(page.evaluate("""async ([query, choices]) => {
        const engine = await import('./search-index.js');
        const index = await engine.openIndex(new URL('search-index/', location.href));
        const found = await index.search(query, choices);
        const urls = await Promise.all(found.numbers.map(async n => (await index.paper(n)).url));
        return [urls, Object.fromEntries(found.corrected)];
    }""", [query, choices]))


def index_search(page, server, query: str, **choices) -> list[str]:
    return corrected_search(page, server, query, **choices)[0]


def test_a_title_match_ranks_above_abstract_only_matches(page, index_server):
    assert index_search(page, index_server, "zebrafish") == ["papers/in-title/", "papers/abstract-only/"]


def test_an_arxiv_id_finds_its_paper_first(page, index_server):
    assert index_search(page, index_server, "2407.21783")[0] == "papers/has-the-id/"


def test_a_latex_non_breaking_space_separates_words(page, index_server):
    assert sorted(index_search(page, index_server, "LoRA")) == ["papers/latex-space/", "papers/plain-lora/"]


def test_authors_are_searchable(page, index_server):
    assert index_search(page, index_server, "Rombach") == ["papers/with-authors/"]
    assert index_search(page, index_server, "Björn Ommer") == ["papers/with-authors/"]
    assert index_search(page, index_server, "bjorn") == ["papers/with-authors/"]  # accents are optional


def test_tag_names_are_searchable(page, index_server):
    assert index_search(page, index_server, "robotics") == ["papers/tagged/"]
    assert page.errors == []


def test_a_truncated_index_file_is_an_error_not_a_hang(page, index_server, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(index_server.folder, site)
    bucket = site / "search-index" / "terms" / "all.pda"
    bucket.write_bytes(gzip.compress(b"\x03abc\x02\x05"))  # "abc" in 2 papers, the file ends in the first
    server = SiteServer(site)
    try:
        page.goto(server.url)
        error = page.evaluate("""async () => {
            const engine = await import('./search-index.js');
            const index = await engine.openIndex(new URL('search-index/', location.href));
            return index.search('abc').then(() => 'no error', (e) => e.message);
        }""")
    finally:
        server.close()
    assert error == "a truncated index file"


def test_a_word_finds_its_plural_and_longer_words_it_begins_below_itself(page, index_server):
    assert sorted(index_search(page, index_server, "caches")) == ["papers/cache-word/", "papers/caches-word/"]
    found = index_search(page, index_server, "cach")
    assert sorted(found[:2]) == ["papers/cache-word/", "papers/caches-word/"] and found[2:] == ["papers/caching-word/"]
    assert index_search(page, index_server, "splat") == ["papers/splat-word/", "papers/splatting-word/"]


def test_a_rare_longer_word_ranks_below_the_common_word_typed(page, index_server):
    assert index_search(page, index_server, "zebu model") == ["papers/the-word/", "papers/a-longer-word/"]


def test_every_word_must_match(page, index_server):
    assert index_search(page, index_server, "zebrafish tracking") == ["papers/in-title/"]
    assert index_search(page, index_server, "zebrafish nowhere") == []
    assert index_search(page, index_server, "the of and") == []  # stop words alone: nothing to look up


def test_filters_by_tag_and_by_year_and_sorts_newest_first(page, index_server):
    assert index_search(page, index_server, "method", tag="Robotics and Autonomous Systems") == ["papers/tagged/"]
    assert index_search(page, index_server, "method", year="2024") == ["papers/last-year/"]
    newest = index_search(page, index_server, "method", sort="date")
    assert newest[0] == "papers/next-day/" and newest[-1] == "papers/last-year/"


def test_the_browser_splits_words_as_the_index_does(page, index_server):
    texts = ["FlashAttention-2: 3.5x Faster", "arXiv:2407.21783v2", "Adapters~(LoRA) for LLMs", "Queries and caches",
             "Ｆｕｌｌ-width ＬＬＭ", "Straße, naïve, Ångström", "中文 模型 and 日本語", "x²+y² ½ Ⅻ", "İstanbul ǅemal",
             "<img src=x onerror=alert(1)>", "snake_case and dots... 1.2.3", "𝐁𝐨𝐥𝐝 math letters", "glasses bias class",
             " ".join(sorted(searchindex.STOP_WORDS)) + " beside them", "Éclair ÉCLAIRS", "İbrahim Şahin",
             "acgt" * 30 + " and " + "é" * 70]
    page.goto(index_server.url)
    split = page.evaluate("""async texts => {
        const engine = await import('./search-index.js');
        return texts.map(engine.words);
    }""", texts)
    assert split == [searchindex.words(text) for text in texts]




def test_a_word_no_paper_has_is_read_as_the_nearest_word_papers_have(page, index_server):
    both = ["papers/in-title/", "papers/abstract-only/"]
    assert corrected_search(page, index_server, "zebrafsh") == (both, {"zebrafsh": "zebrafish"})  # dropped
    assert corrected_search(page, index_server, "zerbafish") == (both, {"zerbafish": "zebrafish"})  # swapped
    assert corrected_search(page, index_server, "zebrafish trackng") == (["papers/in-title/"], {"trackng": "tracking"})
    assert corrected_search(page, index_server, "zebrafish") == (both, {})  # a word papers have is never read as another
    assert corrected_search(page, index_server, "zebx") == ([], {})  # too short to guess
    assert corrected_search(page, index_server, "quagmire") == ([], {})  # no word within an edit: nothing


def test_edit_distance_counts_insertions_deletions_changes_and_swaps(page, index_server):
    page.goto(index_server.url)
    pairs = [["tranformer", "transformer"], ["trasnformer", "transformer"], ["difusion", "diffusion"],
             ["attention", "attention"], ["abc", "xyz"], ["ca", "abc"], ["modèle", "modele"], ["a", "abcdef"]]
    found = page.evaluate("""async pairs => {
        const engine = await import('./search-index.js');
        return pairs.map(([a, b]) => engine.distance(a, b, 2));
    }""", pairs)
    assert found == [1, 1, 1, 0, 3, 3, 1, 3]  # 3: more than the limit of 2 (a swap is not edited again: "ca", "abc")


def index_site(folder: Path, records, bucket_bytes=searchindex.BUCKET_BYTES, sizes=None) -> SiteServer:
    """`records` indexed into `folder` with search-index.js beside it, served. `sizes` rewrites the
    manifest's bucket sizes, as a large archive's would list them."""
    files = searchindex.build(records, [], bucket_bytes=bucket_bytes)
    if sizes:
        manifest = json.loads(gzip.decompress(files["index.pda"]))
        manifest["buckets"] = [[key, sizes(key, size)] for key, size in manifest["buckets"]]
        files["index.pda"] = gzip.compress(json.dumps(manifest).encode())
    for name, data in files.items():
        path = folder / "search-index" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return engine_site(folder)


def study(word: str, title: str = "", abstract: str = "") -> searchindex.Record:
    return searchindex.Record(f"papers/{word}/", title or f"{word.capitalize()} Study",
                              abstract or f"On {word} and more {word}.", "2025-03-11", "", (), ())


@pytest.fixture(scope="module")
def split_index_server(tmp_path_factory):
    """An index cut into many small buckets, as a large archive's is: a typo's word is in another."""
    words = ["transformer", "transport", "translation", "trace", "tree", "diffusion", "difference", "dinosaur",
             "attention", "atlas", "attack", "retrieval", "reinforcement", "robot"]
    # Buckets of at most 20 bytes: keys such as "transf", "transl", "tre".
    server = index_site(tmp_path_factory.mktemp("split"), [study(word) for word in words], bucket_bytes=20)
    yield server
    server.close()


@pytest.fixture(scope="module")
def large_words_server(tmp_path_factory):
    """The words "gener" begins, in buckets listed as large as a 50,000-paper archive's: together
    more than a search loads for the longer words a word begins."""
    words = ["generative", "generation", "generalization", "generator", "generated", "gender"]
    server = index_site(tmp_path_factory.mktemp("large"), [study(word) for word in words], bucket_bytes=20,
                        sizes=lambda key, size: 20000 if key.startswith("gener") else size)
    yield server
    server.close()


@pytest.fixture(scope="module")
def names_server(tmp_path_factory):
    server = index_site(tmp_path_factory.mktemp("names"), [
        study("mamba", "Mamba: Linear-Time Sequence Modeling", "We propose Mamba, a state space model."),
        study("vision-mamba", "Vision Mamba: Mamba Backbones", "Mamba mamba mamba mamba for images. Mamba beats ViT."),
        study("qwen2", "Qwen2 Technical Report", "Qwen2 is a family of language models.")])
    yield server
    server.close()


def test_a_word_that_begins_indexed_words_is_never_read_as_another(page, large_words_server):
    assert corrected_search(page, large_words_server, "gener")[1] == {}  # not "gender"


def test_a_misspelt_name_still_ranks_its_paper_first(page, names_server):
    assert corrected_search(page, names_server, "mamba")[0][0] == "papers/mamba/"
    assert corrected_search(page, names_server, "mambba") == (["papers/mamba/", "papers/vision-mamba/"],
                                                              {"mambba": "mamba"})


def test_a_model_version_is_not_read_as_another_version(page, names_server):
    assert corrected_search(page, names_server, "qwen3") == ([], {})  # not "qwen2"


def test_in_a_large_index_a_typo_is_found_in_the_buckets_near_its_start(page, split_index_server):
    assert corrected_search(page, split_index_server, "tranformer") == (["papers/transformer/"], {"tranformer": "transformer"})
    assert corrected_search(page, split_index_server, "difusion") == (["papers/diffusion/"], {"difusion": "diffusion"})
    assert corrected_search(page, split_index_server, "atention") == (["papers/attention/"], {"atention": "attention"})
    assert corrected_search(page, split_index_server, "reinforcment") == (["papers/reinforcement/"],
                                                                          {"reinforcment": "reinforcement"})
    assert corrected_search(page, split_index_server, "rransformer") == ([], {})  # its first letter: not guessed
