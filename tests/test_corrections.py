"""Tag corrections: every validation problem has its own fixture and exact message."""
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.content import load
from generator.corrections import MAX_BYTES, read_correction
from generator.errors import ContentError
from generator.readers import read_taxonomy
from generator.site import build
from conftest import FIXTURES, ROOT

TAGS = [t.slug for t in read_taxonomy((ROOT / "content/taxonomy.yml").read_text(), "taxonomy.yml")[0]]
CASES = FIXTURES / "corrections"


def problems_of(name: str, data: bytes | None = None) -> list[str]:
    file = f"content/corrections/{name}"
    raw = data if data is not None else (CASES / name).read_bytes()
    _, problems = read_correction(raw, file, Path(name).stem, TAGS)
    return [str(p) for p in problems]


def test_valid_correction_parses():
    correction, problems = read_correction((CASES / "valid.yml").read_bytes(), "valid.yml", "some-paper", TAGS)
    assert problems == []
    assert (correction.add, correction.remove) == (("inference",), ("llm",))
    assert correction.line("remove:llm") == 2


@pytest.mark.parametrize("name, messages", [
    ("unknown-tag.yml", ["content/corrections/unknown-tag.yml:1: error: unknown tag 'infrence' (did you mean "
                         "'inference'?): tags are listed in content/taxonomy.yml"]),
    ("added-and-removed.yml", ["content/corrections/added-and-removed.yml:2: error: tag 'inference' is both "
                               "added and removed: keep one"]),
    ("duplicate-key.yml", ["content/corrections/duplicate-key.yml:2: error: duplicate key 'add' (first on "
                           "line 1): keep one"]),
    ("wrong-types.yml", ["content/corrections/wrong-types.yml:1: error: 'add' must be a list of tag slugs, "
                         "like 'add: [inference]'",
                         "content/corrections/wrong-types.yml:2: error: 'reason' must be text: put it in quotes"]),
    ("anchors.yml", ["content/corrections/anchors.yml:1: error: YAML anchors and aliases are not allowed: "
                     "write the value out",
                     "content/corrections/anchors.yml:2: error: YAML anchors and aliases are not allowed: "
                     "write the value out"]),
    ("invalid-utf8.yml", ["content/corrections/invalid-utf8.yml:2: error: invalid UTF-8 (byte 0xe9): save "
                          "the file as UTF-8"]),
    ("unknown-key.yml", ["content/corrections/unknown-key.yml:2: error: unknown key 'comment': use add, "
                         "remove, reason"]),
    ("types-stay-strings.yml", ["content/corrections/types-stay-strings.yml:1: error: unknown tag '2401.10000': "
                                "tags are listed in content/taxonomy.yml"]),
    ("empty.yml", ["content/corrections/empty.yml:1: error: empty correction: add 'add: [tag]' and/or "
                   "'remove: [tag]'"]),
    ("changes-nothing.yml", ["content/corrections/changes-nothing.yml:1: error: the correction changes "
                             "nothing: list tags under 'add' or 'remove'"]),
    ("control-character.yml", ["content/corrections/control-character.yml:2: error: invalid YAML: "
                               "character #x0007 is not allowed; remove it"]),
    ("invalid-syntax.yml", ["content/corrections/invalid-syntax.yml:2: error: invalid YAML: mapping values "
                            "are not allowed here; check the indentation and quoting"]),
    ("python-tag.yml", ["content/corrections/python-tag.yml:1: error: YAML tag "
                        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: remove it",
                        "content/corrections/python-tag.yml:1: error: 'add' must be a list of tag slugs, "
                        "like 'add: [inference]'"]),
])
def test_invalid_correction_is_reported_exactly(name, messages):
    assert problems_of(name) == messages


def test_oversized_file_is_rejected():
    data = b"reason: '" + b"x" * MAX_BYTES + b"'\n"
    assert problems_of("big.yml", data) == [
        f"content/corrections/big.yml: error: file is {len(data)} bytes, over the {MAX_BYTES} byte limit: "
        "a correction only needs 'add', 'remove' and a short 'reason'"]


def test_boolean_looking_reason_stays_text():
    correction, _ = read_correction(b"add: [llm]\nreason: no\n", "f.yml", "s", TAGS)
    assert correction.reason == "no"


def correct(project, slug: str, text: str) -> Path:
    project.corrections.mkdir(exist_ok=True)
    path = project.corrections / f"{slug}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_paper_and_redundant_changes_are_reported(project):
    paper = next(p for p in load(project).archive.papers if p.tags)
    missing = sorted(set(TAGS) - set(paper.tags))[0]
    correct(project, paper.slug, f"add: [{paper.tags[0]}]\nremove: [{missing}]\n")
    correct(project, paper.slug[:-2], "add: [llm]\n")
    with pytest.raises(ContentError) as failure:
        load(project)
    assert [str(p) for p in failure.value.problems] == [
        f"content/corrections/{paper.slug[:-2]}.yml:1: error: unknown paper slug '{paper.slug[:-2]}' (did you "
        f"mean '{paper.slug}'?): name the file after the paper's URL, papers/<slug>/",
        f"content/corrections/{paper.slug}.yml:1: warning: '{paper.slug}' already has tag '{paper.tags[0]}': "
        "remove it from 'add'",
        f"content/corrections/{paper.slug}.yml:2: warning: '{paper.slug}' does not have tag '{missing}': "
        "remove it from 'remove'"]


def test_github_format_prints_annotations(project, capsys, monkeypatch):
    from generator.cli import main
    correct(project, "no-such-paper", "add: [infrence]\n")
    monkeypatch.chdir(project.root)
    assert main(["check", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=content/corrections/no-such-paper.yml,line=1::unknown tag 'infrence' (did you mean "
        "'inference'?): tags are listed in content/taxonomy.yml"]


SLUG = "flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness"


def built_page(project, path: str) -> BeautifulSoup:
    return BeautifulSoup((project.site_dir / path).read_text(encoding="utf-8"), "html.parser")


def test_correction_changes_the_built_paper_and_tag_pages(project):
    build(project)
    before = built_page(project, f"papers/{SLUG}/index.html")
    link = before.select_one(".pda-correct a")["href"]
    assert link.startswith("https://github.com/paper-digest-archive/paper-digest-archive/new/main/"
                           f"content/corrections?filename={SLUG}.yml&value=%23%20Tag%20correction")
    assert "robotics" not in [a["href"].split("/")[-2] for a in before.select(".pda-tags a")]

    correct(project, SLUG, "add: [robotics]\nremove: [attention]\nreason: test\n")
    build(project)
    after = built_page(project, f"papers/{SLUG}/index.html")
    tags = [a["href"].split("/")[-2] for a in after.select(".pda-tags a")]
    assert "robotics" in tags and "attention" not in tags
    assert after.select_one(".pda-correct a")["href"] == (
        "https://github.com/paper-digest-archive/paper-digest-archive/edit/main/content/corrections/"
        f"{SLUG}.yml")
    listed = lambda tag: [a["href"] for a in built_page(project, f"tags/{tag}/index.html").select(".pda-item__title")]
    assert f"../../papers/{SLUG}/" in listed("robotics")
    assert all(SLUG not in href for href in listed("attention"))


def test_fork_changing_repo_url_gets_working_links(project):
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(config.replace("https://github.com/paper-digest-archive/paper-digest-archive",
                                                 "https://github.com/someone/fork"), encoding="utf-8")
    build(project)
    link = built_page(project, f"papers/{SLUG}/index.html").select_one(".pda-correct a")["href"]
    assert link.startswith("https://github.com/someone/fork/new/main/content/corrections?filename=")
