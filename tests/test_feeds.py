"""Atom feeds: valid, newest first, permanent ids, links to built pages, announced in every page's head."""
import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator import feeds, store
from generator.config import SiteSettings
from generator.content import load
from generator.models import Archive, Day, Digest, Entry, Paper, SourceMeta, Tag

SITE_URL = "https://paper-digest-archive.github.io/paper-digest-archive/"
ATOM = "{http://www.w3.org/2005/Atom}"


def parsed(path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    return feed


def page_of(url: str, site) -> str:
    """The built file a feed's absolute URL points at."""
    assert url.startswith(SITE_URL), url
    target = site / url[len(SITE_URL):]
    return (target / "index.html" if target.is_dir() else target).relative_to(site).as_posix()


def test_archive_feed_lists_digest_dates_newest_first_linking_to_their_pages(seed_site):
    site = seed_site.site_dir
    feed = parsed(site / "feeds" / "digests.xml")
    assert feed.feed.id == SITE_URL + "feeds/digests.xml" and feed.feed.author == "Paper Digest Archive"
    assert [e.id for e in feed.entries] == [SITE_URL + f"dates/{d}/" for d in ("2025-06-26", "2025-03-17", "2025-03-11")]
    assert [e.updated for e in feed.entries] == ["2025-06-26T00:00:00Z", "2025-03-17T00:00:00Z", "2025-03-11T00:00:00Z"]
    assert feed.feed.updated == "2025-06-26T00:00:00Z"
    assert feed.entries[0].title == "Papers of June 26, 2025: 67 papers"
    for entry in feed.entries:
        assert (site / page_of(entry.link, site)).is_file()
        papers = BeautifulSoup(entry.content[0].value, "html.parser").find_all("a")
        assert papers and all((site / page_of(a["href"], site)).is_file() for a in papers)


def test_every_tag_has_a_feed_of_its_papers_linking_to_their_pages(seed_site):
    site = seed_site.site_dir
    tags = sorted(p.parent.name for p in (site / "tags").glob("*/index.html"))
    assert sorted(p.stem for p in (site / "feeds" / "tags").glob("*.xml")) == tags
    for tag in tags:
        feed = parsed(site / "feeds" / "tags" / f"{tag}.xml")
        assert page_of(feed.feed.link, site) == f"tags/{tag}/index.html"
        assert [e.updated for e in feed.entries] == sorted((e.updated for e in feed.entries), reverse=True)
        # an empty tag's feed (audio has no seed paper) dates from the newest digest, not from 1970
        assert feed.feed.updated == (feed.entries[0].updated if feed.entries else "2025-06-26T00:00:00Z")
        for entry in feed.entries:
            assert entry.id == entry.link and page_of(entry.link, site).startswith("papers/")
            assert (site / page_of(entry.link, site)).is_file()
            assert tag in [c.term for c in entry.tags] and entry.summary


def test_pages_announce_the_feeds_and_tag_pages_link_theirs(seed_site):
    site = seed_site.site_dir
    for path, own in (("index.html", None), ("papers/fast-sparse-convnets/index.html", None),
                      ("tags/edge/index.html", "feeds/tags/edge.xml")):
        page = BeautifulSoup((site / path).read_text(), "html.parser")
        announced = [link["href"] for link in page.head.find_all("link", type="application/atom+xml")
                     if "alternate" in link["rel"]]
        expected = ["feeds/digests.xml"] + ([own] if own else [])
        depth = "../" * path.count("/")
        assert announced == [depth + url for url in expected], path
    tag_page = BeautifulSoup((site / "tags/edge/index.html").read_text(), "html.parser")
    assert tag_page.select_one(".pda-feed a")["href"] == "../../feeds/tags/edge.xml"


def test_ids_stay_the_same_when_a_digest_is_added(project):
    before = load(project).archive
    entry = Entry("Sparse Speculative Decoding for Long Contexts", "We speed up the decoding of long contexts "
                  "with sparse attention and speculative drafts, and evaluate it on public benchmarks where it "
                  "improves over strong baselines by a clear margin.", 0,
                  SourceMeta(arxiv_id="2507.00001", authors=("Ada Lovelace",)))
    digest = Digest("2025-07-01.json", dt.date(2025, 7, 1), (entry,))
    (project.digests / digest.source).write_text(store.to_json(digest), encoding="utf-8")
    after = load(project).archive
    settings = load(project).settings
    old, new = feeds.feed_files(before, settings), feeds.feed_files(after, settings)
    assert set(old) == set(new)
    for path in old:
        ids_before = {e.id: e.link for e in feedparser.parse(old[path]).entries}
        ids_after = {e.id: e.link for e in feedparser.parse(new[path]).entries}
        assert {i: ids_after[i] for i in ids_before if i in ids_after} == \
            {i: link for i, link in ids_before.items() if i in ids_after}
    newest = feedparser.parse(new[feeds.ARCHIVE_FEED]).entries[0]
    assert newest.id == SITE_URL + "dates/2025-07-01/" and "Sparse Speculative Decoding" in newest.content[0].value


def test_untrusted_text_is_escaped_and_characters_xml_cannot_hold_are_dropped():
    title = '<script>alert("x")</script> & \x0bfriends\x00 ]]>'
    paper = Paper("a", title, "Abstract </summary> &amp; \ufffe done.", (dt.date(2025, 1, 2),),
                  SourceMeta(authors=("<b>Eve</b>",)), tags=("t",))
    archive = Archive((paper,), (Day(dt.date(2025, 1, 2), ("a",), ("x.json",)),), (Tag("t", "T & U", "<d>"),))
    files = feeds.feed_files(archive, SiteSettings("Site", SITE_URL, "", "main"))
    for text in files.values():
        ET.fromstring(text.encode())  # well-formed XML
    entry = feedparser.parse(files["feeds/tags/t.xml"]).entries[0]
    assert entry.title == '<script>alert("x")</script> & friends ]]>'
    assert entry.summary == "Abstract </summary> &amp;  done."
    assert entry.author == "<b>Eve</b>"
    listing = ET.fromstring(files[feeds.ARCHIVE_FEED].encode()).find(f"{ATOM}entry/{ATOM}content").text
    assert "&lt;script&gt;" in listing and "<script>" not in listing


@pytest.mark.parametrize("entries", [1, 2])
def test_feeds_hold_the_newest_entries_only(monkeypatch, entries):
    monkeypatch.setattr(feeds, "ENTRIES", entries)
    days = tuple(Day(dt.date(2025, 1, n), (f"p{n}",), (f"{n}.json",)) for n in (1, 2, 3))
    papers = tuple(Paper(f"p{n}", f"Paper {n}", "An abstract.", (dt.date(2025, 1, n),), tags=("t",)) for n in (1, 2, 3))
    archive = Archive(papers, days, (Tag("t", "T", "d"),))
    files = feeds.feed_files(archive, SiteSettings("Site", SITE_URL, "", "main"))
    assert [e.title for e in feedparser.parse(files["feeds/tags/t.xml"]).entries] == ["Paper 3", "Paper 2"][:entries]
    assert len(feedparser.parse(files[feeds.ARCHIVE_FEED]).entries) == entries
