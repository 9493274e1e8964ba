"""`archive import` adds saved digests offline: validated first, written atomically, idempotent, URLs kept."""
import datetime as dt
import json
import os

import pytest
from bs4 import BeautifulSoup

from generator import cli, store
from generator.content import load
from generator.errors import UserError
from generator.models import Digest, Entry, SourceMeta
from generator.readers import read_json_digest
from conftest import FIXTURES

FETCH = FIXTURES / "fetch"
PAGE = FETCH / "hf-daily-papers-2024-08-01.html"
SEED_API = FETCH / "api-seed-paper-2025-07-01.json"
LDM = "high-resolution-image-synthesis-with-latent-diffusion-models"


def run(project, monkeypatch, capsys, *argv) -> tuple[int, str, str]:
    monkeypatch.chdir(project.root)
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export(project, monkeypatch, capsys) -> dict[str, dict]:
    code, out, _ = run(project, monkeypatch, capsys, "export")
    assert code == 0
    return {record["slug"]: record for record in map(json.loads, out.splitlines())}


def test_import_of_the_captured_page_adds_its_papers_and_keeps_every_url(project, monkeypatch, capsys):
    before = {p.title: p.url for p in load(project).archive.papers}
    code, out, _ = run(project, monkeypatch, capsys, "import", str(PAGE))
    assert (code, out) == (0, "2024-08-01: 13 papers written to content/digests/2024-08-01.json\n")
    papers = load(project).archive.papers
    after = {p.title: p.url for p in papers}
    assert {title: after[title] for title in before} == before
    assert len(after) == len(before) + 13
    llama = next(p for p in papers if p.meta.arxiv_id == "2407.21783")
    assert (llama.url, llama.meta.upvotes) == ("papers/the-llama-3-herd-of-models/", 94)


def test_written_digest_is_deterministic_and_reads_back(project, monkeypatch, capsys):
    run(project, monkeypatch, capsys, "import", str(PAGE))
    text = (project.digests / "2024-08-01.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["date", "papers", "retrieved_at", "source_url"]
    assert data["source_url"] == "https://huggingface.co/papers?date=2024-08-01"
    assert set(data["papers"][0]) == {"abstract", "arxiv_id", "authors", "published", "title", "upvotes"}
    digest, problems = read_json_digest(text, "content/digests/2024-08-01.json")
    assert problems == []
    assert store.to_json(digest) == text


def test_importing_twice_changes_nothing(project, monkeypatch, capsys):
    run(project, monkeypatch, capsys, "import", str(PAGE))
    path = project.digests / "2024-08-01.json"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    code, out, _ = run(project, monkeypatch, capsys, "import", str(PAGE))
    # The API response holds the same papers: no change either, though its source URL differs.
    code2, out2, _ = run(project, monkeypatch, capsys, "import", str(FETCH / "api-2024-08-01.json"))
    assert (code, out) == (0, "2024-08-01: unchanged (13 papers already in content/digests/2024-08-01.json)\n")
    assert (code2, out2) == (0, out)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_seed_paper_is_matched_by_title_and_enriched_in_place(project, monkeypatch, capsys):
    seed = export(project, monkeypatch, capsys)[LDM]
    assert seed["arxiv_id"] is None
    code, out, _ = run(project, monkeypatch, capsys, "import", str(SEED_API))
    assert (code, out) == (0, "2025-07-01: 2 papers written to content/digests/2025-07-01.json\n")
    enriched = export(project, monkeypatch, capsys)[LDM]
    assert enriched["url"] == seed["url"] == f"papers/{LDM}/"
    assert (enriched["arxiv_id"], enriched["github_repo"], enriched["github_stars"], enriched["upvotes"]) == (
        "2112.10752", "https://github.com/CompVis/latent-diffusion", 12345, 42)
    assert enriched["dates"] == ["2025-03-11", "2025-07-01"]
    assert (enriched["title"], enriched["abstract"]) == (seed["title"], seed["abstract"])


def test_import_then_build_gives_paper_pages_with_working_source_links(project, monkeypatch, capsys):
    from generator.site import build
    run(project, monkeypatch, capsys, "import", str(PAGE), str(SEED_API))
    build(project)
    pages = {"the-llama-3-herd-of-models": "2407.21783", LDM: "2112.10752"}
    for slug, arxiv_id in pages.items():
        html = (project.site_dir / "papers" / slug / "index.html").read_text(encoding="utf-8")
        links = {a["href"]: a.get_text() for a in BeautifulSoup(html, "html.parser").select(".pda-source a")}
        assert links[f"https://arxiv.org/abs/{arxiv_id}"] == f"arXiv:{arxiv_id}"
        assert links[f"https://huggingface.co/papers/{arxiv_id}"] == "Hugging Face"
        assert links[f"https://arxiv.org/pdf/{arxiv_id}"] == "PDF"
    ldm = BeautifulSoup((project.site_dir / "papers" / LDM / "index.html").read_text(encoding="utf-8"),
                        "html.parser")
    assert ldm.select_one(".pda-authors").get_text() == ("Robin Rombach, Andreas Blattmann, Dominik Lorenz, "
                                                         "Patrick Esser, Björn Ommer")
    assert ldm.select_one(".pda-source").get_text() == ("arXiv:2112.10752 · PDF · Hugging Face · published 2021-12-20 · 42 upvotes · GitHub "
                                                        "(12345 stars) · Project page")
    llama = (project.site_dir / "papers" / "the-llama-3-herd-of-models" / "index.html").read_text(encoding="utf-8")
    assert "and 521 more" in llama


def test_source_text_is_escaped_on_the_paper_page(project):
    from generator.writer import environment, render
    from generator.pages import paper_pages
    digest = Digest("2024-08-05.json", dt.date(2024, 8, 5), (Entry(
        "A <b>bold</b> title", "word " * 24 + "<script>alert(1)</script>", 1,
        SourceMeta(arxiv_id="2408.00001", authors=("<img src=x onerror=alert(1)>",),
                         github_repo="javascript:alert(1)")),))
    store.save(project, digest)
    loaded = load(project)
    plan = next(p for p in paper_pages(loaded.archive, loaded.settings, set()) if p.context["paper"].title.startswith("A <b>"))
    page = render(plan, environment())
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    assert "javascript:" not in page


@pytest.mark.parametrize("name, message", [
    ("truncated-page.html", "the page is truncated: it ends before its closing </html> tag, and no complete "
     "div[data-target=DailyPapers] was found"),
    ("invalid-props-json.html", "data-props of div[data-target=DailyPapers] is not valid JSON (Unterminated "
     "string starting at: line 1 column 292 (char 291)): the page is truncated or the site's structure changed"),
    ("no-daily-papers-div.html", "no div[data-target=DailyPapers] in the page: the site's structure changed"),
    ("api-invalid.json", "cannot tell which day api-invalid.json is: put the date (YYYY-MM-DD) in its name or "
     "pass --date"),
])
def test_a_broken_file_imports_nothing_not_even_the_good_ones(project, monkeypatch, capsys, name, message):
    code, out, err = run(project, monkeypatch, capsys, "import", str(PAGE), str(FETCH / name))
    assert (code, out) == (1, "")
    assert err == f"archive: {FETCH / name}: {message} (nothing imported)\n"
    assert not (project.digests / "2024-08-01.json").exists()


def test_invalid_json_with_a_date_names_the_json_error(project, monkeypatch, capsys):
    code, _, err = run(project, monkeypatch, capsys, "import", "--date", "2024-08-01", str(FETCH / "api-invalid.json"))
    assert (code, err) == (1, f"archive: {FETCH / 'api-invalid.json'}: the API response is not valid JSON "
                              "(Unterminated string starting at: line 1 column 400 (char 399)): it is truncated or "
                              "the site's structure changed (nothing imported)\n")


def test_an_empty_day_is_reported_not_an_error(project, monkeypatch, capsys):
    code, out, _ = run(project, monkeypatch, capsys, "import", str(FETCH / "empty-day.html"))
    assert (code, out) == (0, "2024-08-03: no papers (nothing written)\n")
    code, out, _ = run(project, monkeypatch, capsys, "import", "--date", "2024-08-03", str(FETCH / "api-empty.json"))
    assert (code, out) == (0, "2024-08-03: no papers (nothing written)\n")
    assert not (project.digests / "2024-08-03.json").exists()


def test_two_files_for_one_day_are_refused(project, monkeypatch, capsys):
    api = FETCH / "api-2024-08-01.json"
    code, _, err = run(project, monkeypatch, capsys, "import", str(PAGE), str(api))
    assert (code, err) == (1, f"archive: {PAGE} and {api} are both for 2024-08-01: import one of them\n")


def test_a_missing_file_is_one_line(project, monkeypatch, capsys):
    code, _, err = run(project, monkeypatch, capsys, "import", "no-such-page.html")
    assert (code, err) == (1, "archive: cannot read no-such-page.html: No such file or directory\n")


def test_an_interrupted_write_leaves_the_old_file_whole(project, monkeypatch, capsys):
    run(project, monkeypatch, capsys, "import", str(SEED_API))
    path = project.digests / "2025-07-01.json"
    before = path.read_bytes()
    changed = json.loads(SEED_API.read_text(encoding="utf-8"))
    changed[0]["paper"]["upvotes"] = 99
    newer = project.root / "api-2025-07-01.json"
    newer.write_text(json.dumps(changed), encoding="utf-8")

    def crash(source, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", crash)
    code, _, err = run(project, monkeypatch, capsys, "import", str(newer))
    assert (code, err) == (1, "archive: 2025-07-01: cannot write content/digests/2025-07-01.json: No space left "
                              "on device (it is unchanged)\n")
    assert path.read_bytes() == before
    assert sorted(p.name for p in project.digests.iterdir() if p.name.startswith(".")) == []
    monkeypatch.undo()
    code, out, _ = run(project, monkeypatch, capsys, "import", str(newer))
    assert out == "2025-07-01: 2 papers written to content/digests/2025-07-01.json\n"
    assert json.loads(path.read_text(encoding="utf-8"))["papers"][0]["upvotes"] == 99


def test_a_digest_that_would_not_read_back_is_not_written(project):
    short = Digest("2024-08-05.json", dt.date(2024, 8, 5), (Entry("A title", "Too short.", 1),))
    with pytest.raises(UserError) as error:
        store.save(project, short)
    assert str(error.value) == ("2024-08-05: the digest does not validate, nothing written: abstract has 2 words: "
                                "it looks like a title, so an abstract is probably missing above it")
    assert not (project.digests / "2024-08-05.json").exists()
