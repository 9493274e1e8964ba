"""Day pages and API responses are parsed into digests; a changed or broken source is named, not guessed at."""
import datetime as dt
import json

import pytest

from generator.sources import SourceError, parse_api, parse_day_page, parse_saved
from conftest import FIXTURES

FETCH = FIXTURES / "fetch"
AUG_1 = dt.date(2024, 8, 1)
STAMP = "2024-08-02T06:00:00Z"
PAGE_URL = "https://huggingface.co/papers?date=2024-08-01"
API_URL = "https://huggingface.co/api/daily_papers?date=2024-08-01"


def text(name: str) -> str:
    return (FETCH / name).read_text(encoding="utf-8")


def page(name: str = "hf-daily-papers-2024-08-01.html", expected: dt.date | None = None):
    return parse_day_page(text(name), PAGE_URL, STAMP, expected=expected)


def test_captured_day_page_gives_every_paper_with_what_the_site_knows():
    digest = page()
    assert (digest.date, digest.source, digest.source_url, digest.retrieved_at) == (
        AUG_1, "2024-08-01.json", PAGE_URL, STAMP)
    assert len(digest.entries) == 13
    llama = digest.entries[0]
    assert llama.title == "The Llama 3 Herd of Models"
    assert llama.abstract.startswith("Modern artificial intelligence (AI) systems are powered by foundation "
                                     "models. This paper presents")
    meta = llama.meta
    assert (meta.arxiv_id, meta.upvotes, meta.published, len(meta.authors), meta.authors[:2]) == (
        "2407.21783", 94, "2024-07-31", 533, ("Abhimanyu Dubey", "Abhinav Jauhri"))
    # This capture predates the site's GitHub, project page and keyword fields: they stay unknown.
    assert (meta.github_repo, meta.github_stars, meta.project_page, meta.ai_keywords) == (None, None, None, ())


def test_hard_line_breaks_in_titles_and_abstracts_become_single_spaces():
    digest = page()
    moma = next(e for e in digest.entries if e.meta.arxiv_id == "2407.21770")
    assert moma.title == "MoMa: Efficient Early-Fusion Pre-training with Mixture of Modality-Aware Experts"
    assert all("\n" not in e.abstract and "  " not in e.abstract for e in digest.entries)
    assert all("\n" not in e.title and "  " not in e.title for e in digest.entries)


def test_api_response_gives_the_same_papers_as_the_day_page():
    from_api = parse_api(text("api-2024-08-01.json"), AUG_1, API_URL, STAMP)
    assert from_api.entries == page().entries
    assert from_api.source_url == API_URL


def test_richer_fields_of_the_live_site_are_kept():
    digest = parse_saved(text("api-seed-paper-2025-07-01.json"), "api-seed-paper-2025-07-01.json", STAMP)
    assert digest.date == dt.date(2025, 7, 1)
    assert digest.source_url == "https://huggingface.co/api/daily_papers?date=2025-07-01"
    entry = digest.entries[0]
    assert entry.title == "High-Resolution Image Synthesis with Latent Diffusion Models"
    assert entry.meta.github_repo == "https://github.com/CompVis/latent-diffusion"
    assert entry.meta.github_stars == 12345
    assert entry.meta.project_page == "https://ommer-lab.com/research/latent-diffusion-models/"
    assert entry.meta.ai_keywords == ("latent diffusion models", "denoising autoencoders", "cross-attention",
                                      "image inpainting")
    assert entry.meta.authors[-1] == "Björn Ommer"
    assert entry.meta.published == "2021-12-20"


def record(**paper) -> dict:
    base = {"id": "2407.21705", "title": "A Paper", "summary": "word " * 25}
    return {"paper": {**base, **paper}}


def api(*records) -> str:
    return json.dumps(list(records))


def test_unsafe_or_ill_typed_optional_fields_are_left_out():
    digest = parse_api(api(record(githubRepo="javascript:alert(1)", projectPage="example.org", upvotes="many",
                                  githubStars=True, ai_keywords="not a list", authors=[{"name": 3}, "x"],
                                  publishedAt="yesterday")), AUG_1, API_URL, STAMP)
    meta = digest.entries[0].meta
    assert (meta.github_repo, meta.project_page, meta.upvotes, meta.github_stars, meta.ai_keywords,
            meta.authors, meta.published) == (None, None, None, None, (), (), None)


def test_a_paper_listed_twice_is_kept_once():
    digest = parse_api(api(record(), record()), AUG_1, API_URL, STAMP)
    assert len(digest.entries) == 1


@pytest.mark.parametrize("name, message", [
    ("truncated-page.html", "the page is truncated: it ends before its closing </html> tag, and no complete "
     "div[data-target=DailyPapers] was found"),
    ("no-daily-papers-div.html", "no div[data-target=DailyPapers] in the page: the site's structure changed"),
    ("no-data-props.html", "div[data-target=DailyPapers] has no data-props attribute: the site's structure "
     "changed"),
    ("invalid-props-json.html", "data-props of div[data-target=DailyPapers] is not valid JSON (Unterminated "
     "string starting at: line 1 column 292 (char 291)): the page is truncated or the site's structure changed"),
    ("props-without-daily-papers.html", "data-props of div[data-target=DailyPapers] has no 'dailyPapers' list: "
     "the site's structure changed"),
])
def test_broken_day_page_fails_naming_what_is_missing(name, message):
    with pytest.raises(SourceError) as error:
        page(name)
    assert str(error.value) == message


@pytest.mark.parametrize("name, message", [
    ("api-invalid.json", "the API response is not valid JSON (Unterminated string starting at: line 1 column "
     "400 (char 399)): it is truncated or the site's structure changed"),
    ("api-not-a-list.json", "the API response is an object, not a list of papers: the site's structure changed"),
    ("api-missing-summary.json", "paper 1 (2407.21705) has no 'paper.summary' (its abstract): the site's "
     "structure changed"),
])
def test_broken_api_response_fails_naming_what_is_missing(name, message):
    with pytest.raises(SourceError) as error:
        parse_api(text(name), AUG_1, API_URL, STAMP)
    assert str(error.value) == message


@pytest.mark.parametrize("paper, message", [
    ({"id": None}, "paper 1 has no 'paper.id': the site's structure changed"),
    ({"id": "../../etc"}, "paper 1: 'paper.id' '../../etc' is not an arXiv id"),
    ({"title": " \n "}, "paper 1 (2407.21705) has no 'paper.title': the site's structure changed"),
    ({"summary": "Too short to be an abstract."}, "paper 1 (2407.21705): the abstract has 6 words (at least 20)"),
    ({"title": "x " * 200}, "paper 1 (2407.21705): the title is 399 characters long (at most 300)"),
])
def test_invalid_record_fails_naming_the_paper(paper, message):
    with pytest.raises(SourceError) as error:
        parse_api(api(record(**paper)), AUG_1, API_URL, STAMP)
    assert str(error.value) == message


def test_record_without_paper_object_fails():
    with pytest.raises(SourceError) as error:
        parse_api(api(record(), {"title": "x"}), AUG_1, API_URL, STAMP)
    assert str(error.value) == "paper 2 has no 'paper' object: the site's structure changed"


def test_empty_day_gives_a_digest_without_papers():
    assert page("empty-day.html").entries == ()
    assert page("empty-day.html").date == dt.date(2024, 8, 3)
    assert parse_api(text("api-empty.json"), AUG_1, API_URL, STAMP).entries == ()


def test_page_for_another_day_is_rejected():
    with pytest.raises(SourceError) as error:
        page(expected=dt.date(2024, 8, 2))
    assert str(error.value) == "the page is for 2024-08-01, not 2024-08-02"


def test_saved_api_response_needs_a_date():
    with pytest.raises(SourceError) as error:
        parse_saved("[]", "api.json", STAMP)
    assert str(error.value) == "cannot tell which day api.json is: put the date (YYYY-MM-DD) in its name or " \
                               "pass --date"
    assert parse_saved("[]", "api.json", STAMP, date=AUG_1).date == AUG_1


def test_saved_day_page_records_the_day_page_url():
    digest = parse_saved("\ufeff" + text("hf-daily-papers-2024-08-01.html"), "page.html", STAMP)
    assert (digest.date, digest.source_url) == (AUG_1, PAGE_URL)
