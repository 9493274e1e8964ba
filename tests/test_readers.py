"""The digest text format is parsed strictly: each malformed case names its file, line and fix."""
import datetime as dt

import pytest

from generator.readers import decode, read_dates, read_labels, read_taxonomy, read_text_digest
from conftest import FIXTURES, ROOT

MARCH_11 = dt.date(2025, 3, 11)


def parse(name: str, date: dt.date | None = MARCH_11):
    data = (FIXTURES / "digests" / name).read_bytes()
    text, problems = decode(data, name)
    if text is None:
        return None, [str(p) for p in problems]
    digest, problems = read_text_digest(text, name, date)
    return digest, [str(p) for p in problems]


def test_valid_digest_gives_entries_with_their_lines():
    digest, problems = parse("valid.txt")
    assert problems == []
    assert [(e.title, e.line) for e in digest.entries] == [("A Valid Paper", 11), ("Another Valid Paper", 15)]
    assert digest.date == MARCH_11


@pytest.mark.parametrize("name, message", [
    ("odd-paragraph-count.txt", "odd-paragraph-count.txt:15: error: odd number of paragraphs after the header "
     "(3): every title needs an abstract, separated by one blank line"),
    ("missing-date-line.txt", "missing-date-line.txt:9: error: missing date line after the header: expected a "
     "month and day like 'Mar 11', found 'A Valid Paper'"),
    ("unknown-date-line.txt", "unknown-date-line.txt:9: error: unknown month 'Foo' in date line 'Foo 11': use "
     "one of Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec"),
    ("empty-title.txt", "empty-title.txt:11: error: empty title: remove the blank-looking line or add the title"),
    ("abstract-is-a-title.txt", "abstract-is-a-title.txt:13: error: abstract has 8 words: it looks like a "
     "title, so an abstract is probably missing above it"),
    ("invalid-utf8.txt", "invalid-utf8.txt:13: error: invalid UTF-8 (byte 0xe9): save the file as UTF-8"),
    ("wrong-header.txt", "wrong-header.txt:5: error: expected header line 'Subscribe': a digest starts with "
     "the five header lines of the Daily Papers page"),
    ("truncated-header.txt", "truncated-header.txt:4: error: expected header line 'Subscribe': a digest starts "
     "with the five header lines of the Daily Papers page"),
])
def test_malformed_digest_is_rejected_with_file_line_and_fix(name, message):
    digest, problems = parse(name)
    assert digest is None
    assert problems == [message]


def test_unresolved_year_is_rejected():
    _, problems = parse("valid.txt", date=None)
    assert problems == ["valid.txt:9: error: the year of 'Mar 11' cannot be resolved: record the full date as "
                        "'valid.txt: YYYY-MM-DD' in content/digests/dates.yml"]


def test_date_line_disagreeing_with_recorded_date_is_rejected():
    _, problems = parse("valid.txt", date=dt.date(2025, 3, 17))
    assert problems == ["valid.txt:9: error: date line 'Mar 11' disagrees with the recorded date 2025-03-17 in "
                        "content/digests/dates.yml: correct one of them"]


def test_dates_manifest_rejects_a_non_date():
    dates, problems = read_dates("a.txt: 2025-03-11\nb.txt: March\n", "dates.yml")
    assert dates == {"a.txt": MARCH_11}
    assert [str(p) for p in problems] == ["dates.yml:2: error: 'b.txt': 'March' is not a date: use YYYY-MM-DD"]


def test_taxonomy_rejects_duplicate_and_incomplete_tags():
    text = ("- {slug: llm, name: LLM, description: Language models}\n"
            "- {slug: llm, name: Again, description: Duplicate}\n"
            "- {slug: video, name: Video}\n")
    tags, problems = read_taxonomy(text, "taxonomy.yml")
    assert [t.slug for t in tags] == ["llm"]
    assert [str(p) for p in problems] == [
        "taxonomy.yml:2: error: duplicate tag slug 'llm'",
        "taxonomy.yml:3: error: each tag needs exactly: slug, name, description (non-empty text)"]


def test_labelled_papers_are_checked_each_with_its_line():
    text = ("- {title: x, abstract: y}\n"
            "- {title: a, abstract: b, tags: [robots]}\n"
            "- {title: c, abstract: d, tags: [llm], split: train}\n"
            "- {title: e, abstract: f, tags: [llm]}\n")
    labelled, problems = read_labels(text, "labels.yml", {"llm"})
    assert [str(p) for p in problems] == [
        "labels.yml:1: error: each labelled paper needs title, abstract and a list of tags",
        "labels.yml:2: error: unknown tag 'robots': use a slug of content/taxonomy.yml",
        "labels.yml:3: error: split must be tune or holdout"]
    assert [(i.title, i.tags, i.split) for i in labelled] == [("e", frozenset({"llm"}), "holdout")]


def test_libyaml_and_pure_python_parsers_read_the_labels_alike():
    # The fast path (libyaml) must give what the pure-Python parser gives, lines included.
    from generator import safeyaml
    text = (ROOT / "content/tagging/labels.yml").read_text(encoding="utf-8")
    fast = safeyaml._load(text, "labels.yml", safeyaml._FastLoader)
    slow = safeyaml._load(text, "labels.yml", safeyaml._Loader)
    assert safeyaml._FastLoader is not safeyaml._Loader
    assert fast == slow
    assert [item.lines for item in fast[0]] == [item.lines for item in slow[0]]
    assert fast[0].lines == slow[0].lines


@pytest.mark.parametrize("text", ["a:\tb\n", "a: b\t\n", "key\t: v\n", "[a,\tb]\n", "a: |#\n  x\n", "a: b\ufeff\n"])
def test_where_libyaml_would_accept_more_the_pure_parser_decides(text):
    from generator import safeyaml
    try:
        pure = safeyaml._load(text, "f.yml", safeyaml._Loader)
    except Exception as exc:  # noqa: BLE001 - the pure parser's refusal is what load must report
        pure = type(exc)
    got = safeyaml.load(text, "f.yml")
    if isinstance(pure, type):
        assert got[0] is None and got[1][0].message.startswith("invalid YAML: ")
    else:
        assert got == pure


def test_a_bare_yaml_tag_is_refused_by_both_parsers():
    from generator import safeyaml
    for loader in (safeyaml._FastLoader, safeyaml._Loader):
        data, problems = safeyaml._load("a: !\nb: ok\n", "f.yml", loader)
        assert [str(p) for p in problems] == ["f.yml:1: error: YAML tag '!' is not allowed: remove it"]
