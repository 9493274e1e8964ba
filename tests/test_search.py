"""Search: the Pagefind index's ranking, and the header search box driven in headless Chromium."""
import datetime as dt
import gzip
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SiteServer, project_of_digests
from generator import indexer, search
from generator.models import Archive, Paper, SourceMeta, Tag
from generator.site import build
from test_hostile import hostile_digest

FLASH = "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
FLASH2 = "FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning"
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
    assert [m.lower() for m in first.locator("p mark").all_inner_texts()][:1] in (["kv cache"], ["kv"], ["cache"])
    assert re.match(r"\d{4}-\d\d-\d\d · ", first.locator(".pda-search-result__about").inner_text())


def result_count(page) -> int:
    return int(page.locator(".pda-search .md-search-result__meta").inner_text().split()[0])


def test_a_results_tags_are_the_papers_in_its_order(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, SHADOWKV)  # its four tags are not in alphabetical order
    about = page.locator(".pda-search .pda-search-result__about").first.inner_text()
    page.locator(".pda-search .md-search-result__item a").first.click()
    page.wait_for_url(re.compile(r"/papers/"))
    tags = page.locator(".pda-tags a").all_inner_texts()
    assert len(tags) == 4 and tags != sorted(tags) and about.endswith(" · ".join(tags))


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
    page.wait_for_url(re.compile(r"/papers/"))
    page.go_back()
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.tag")
    assert page.locator(".pda-search .md-search__input").input_value() == "attention"
    assert page.locator(".pda-search__tag").input_value() == "Hardware and Kernels"
    assert page.locator(".pda-search .md-search-result__item h1").all_inner_texts() == titles
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Escape")  # closed: a later return to the page starts afresh
    assert page.evaluate("sessionStorage.getItem('pda-search')") is None
    assert page.errors == []


def test_back_to_a_page_the_search_was_not_made_on_opens_no_search(page, seed_server):
    page.goto(seed_server.url)
    search_for(page, "FlashAttention")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/papers/"))
    page.locator(".pda-tags a").first.click()
    page.wait_for_url(re.compile(r"/tags/"))
    page.go_back()  # to the paper page, where nobody searched
    page.wait_for_url(re.compile(r"/papers/"))
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
    page.wait_for_url(re.compile(r"/papers/shadowkv-[a-z0-9-]+/$"))
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
    page.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == titles[1]
    page.keyboard.press("s")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    assert page.errors == []


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
    page.wait_for_url(re.compile(r"/papers/flashattention-fast-[a-z0-9-]+/$"))
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


@pytest.mark.parametrize("query", ["2407.21783", "arXiv:2407.21783", "https://arxiv.org/abs/2407.21783v2",
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


# The index in shards: what a large archive gets, here with shards of at most 100 papers.

@pytest.fixture(scope="module")
def sharded(seed_site, tmp_path_factory):
    from generator.content import load
    site = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(seed_site.site_dir, site)
    archive = load(seed_site).archive
    report = search.write_index(archive, site, limit=100)
    server = SiteServer(site)
    yield archive, site, report, server
    server.close()


def test_shards_hold_whole_dates_and_stay_put_as_dates_are_added():
    papers = [paper(f"p{n}", f"Paper {n}", FILLER, day=day) for n, day in enumerate([1, 1, 2, 3, 3, 3, 4])]
    archive = Archive(tuple(papers), (), ())
    assert [[p.slug for p in group] for group in search.shards(archive, limit=3)] == [
        ["p0", "p1", "p2"], ["p3", "p4", "p5"], ["p6"]]
    later = Archive((*papers, paper("p7", "Paper 7", FILLER, day=5)), (), ())
    assert [len(g) for g in search.shards(later, limit=3)] == [3, 3, 2]


def test_the_seed_archive_in_shards_is_searched_as_one(page, sharded):
    _, site, report, server = sharded
    assert report.shards == 3 and report.reused == 0
    assert json.loads((site / "pagefind" / "pda-facets.json").read_text())["shards"] == [
        "shards/0/", "shards/1/", "shards/2/"]
    assert not (site / "pagefind" / "shards" / "1" / "pagefind.js").exists()  # one script, one WebAssembly
    page.goto(server.url)
    assert search_for(page, "FlashAttention")[0] == FLASH
    assert SHADOWKV in search_for_again(page, "KV cache")[:5]
    page.locator(".pda-search__sort").select_option("date")
    page.wait_for_function("() => document.querySelector('.pda-search .md-search-result__list').dataset.sort")
    dates = [about.split(" · ")[0] for about in page.locator(".pda-search-result__about").all_inner_texts()]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2025-06-26"
    assert page.errors == []


def test_each_shards_page_list_is_recompressed_smaller(sharded):
    # The searches above ran on these files: the browser reads libdeflate's gzip like Pagefind's own.
    _, site, _, _ = sharded
    lists = sorted((site / "pagefind" / "shards").glob("*/*.pf_meta"))
    assert len(lists) == 3
    for page_list in lists:
        data = gzip.decompress(page_list.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        assert page_list.stat().st_size < len(gzip.compress(data, compresslevel=9))


def test_unchanged_shards_are_copied_from_the_previous_site(sharded, tmp_path):
    archive, site, _, _ = sharded
    again = search.write_index(archive, tmp_path, previous=site, limit=100)
    assert (again.shards, again.reused) == (3, 3)
    newest = archive.papers.index(max(archive.papers, key=lambda p: (p.dates[0], p.slug)))
    edited = replace(archive.papers[newest], title="A Retitled Paper")
    changed = replace(archive, papers=archive.papers[:newest] + (edited,) + archive.papers[newest + 1:])
    third = search.write_index(changed, tmp_path / "third", previous=site, limit=100)
    assert (third.shards, third.reused) == (3, 2)
    shard = tmp_path / "third" / "pagefind" / "shards" / "2"
    assert (shard / indexer.STAMP).read_text() != (site / "pagefind" / "shards" / "2" / indexer.STAMP).read_text()
    # Reused shards' dates come from the previous dates file, the new shard's from its fragments.
    dates = {name: json.loads((folder / "pagefind" / indexer.DATES).read_text())
             for name, folder in (("first", site), ("again", tmp_path), ("third", tmp_path / "third"))}
    assert dates["again"] == dates["first"]
    fresh = search.write_index(changed, tmp_path / "fresh", limit=100)
    assert fresh.reused == 0
    assert dates["third"] == json.loads((tmp_path / "fresh" / "pagefind" / indexer.DATES).read_text())


# The index itself: the same records the site's build writes, searched with Pagefind in Chromium.

def paper(slug: str, title: str, abstract: str, tags=(), arxiv=None, day=11, authors=()) -> Paper:
    return Paper(slug, title, abstract, (dt.date(2025, 3, day),), SourceMeta(arxiv_id=arxiv, authors=authors), tuple(tags))


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
    ]
    archive = Archive(tuple(sorted(papers, key=lambda p: p.slug)), (),
                      (Tag("robotics", "Robotics and Autonomous Systems", "Robots."),))
    report = search.write_index(archive, site)
    assert report.papers == 8 and report.seconds > 0 and report.bytes > 0
    (site / "index.html").write_text('<!doctype html><html lang="en"><body></body></html>', encoding="utf-8")
    server = SiteServer(site)
    yield server
    server.close()


def index_search(page, server, query: str) -> list[str]:
    page.goto(server.url)
    return page.evaluate("""async query => {
        const pagefind = await import('./pagefind/shards/0/pagefind.js');
        await pagefind.options({ noWorker: true });
        const found = await pagefind.search(query);
        return Promise.all(found.results.map(async r => (await r.data()).url));
    }""", query)


def test_a_title_match_ranks_above_abstract_only_matches(page, index_server):
    assert index_search(page, index_server, "zebrafish") == ["/papers/in-title/", "/papers/abstract-only/"]


def test_an_arxiv_id_finds_its_paper_first(page, index_server):
    assert index_search(page, index_server, "2407.21783")[0] == "/papers/has-the-id/"


def test_a_records_word_count_is_of_the_abstract_as_indexed():
    text = search.record(paper("x", "T", "We model 10~20X faster ~ adapters~(LoRA) for it."), {})
    assert 'data-pagefind-meta="words:10"' in text  # We model 10~ 20X faster ~ adapters~ (LoRA) for it.
    assert "10~\u200920X" in text  # the tilde stays on screen


def test_a_latex_non_breaking_space_separates_words(page, index_server):
    # Pagefind splits "adapters~(lora)" only while "lora" is no word of its own elsewhere in the index
    assert sorted(index_search(page, index_server, "LoRA")) == ["/papers/latex-space/", "/papers/plain-lora/"]


def test_authors_are_searchable(page, index_server):
    assert index_search(page, index_server, "Rombach") == ["/papers/with-authors/"]
    assert index_search(page, index_server, "Björn Ommer") == ["/papers/with-authors/"]


def test_tag_names_are_searchable(page, index_server):
    assert index_search(page, index_server, "robotics") == ["/papers/tagged/"]
    assert page.errors == []


def test_a_paper_featured_again_keeps_its_shard(sharded, tmp_path):
    archive, site, _, _ = sharded
    oldest = min(archive.papers, key=lambda p: (p.dates[0], p.slug))
    again = replace(oldest, dates=(*oldest.dates, dt.date(2026, 1, 5)))  # a new year, too
    papers = tuple(again if p is oldest else p for p in archive.papers)
    report = search.write_index(replace(archive, papers=papers), tmp_path, previous=site, limit=100)
    assert (report.shards, report.reused) == (3, 3)


def test_search_works_without_the_facets_file(page, seed_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(seed_site.site_dir, site)
    (site / "pagefind" / search.FACETS).unlink()
    server = SiteServer(site)
    try:
        page.goto(server.url)
        assert search_for(page, "FlashAttention")[0] == FLASH
    finally:
        server.close()
    assert [e for e in page.errors if "status of 404" not in e] == []  # only the missing file itself
