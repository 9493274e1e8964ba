"""The Cite block: BibTeX from what the archive knows, escaped for LaTeX, on every paper page."""
import datetime as dt
import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from generator import cite
from generator.config import SiteSettings
from generator.models import Paper, SourceMeta

SETTINGS = SiteSettings("Paper Digest Archive", "https://example.org/archive/", "", "main")
SEED = Paper("flashattention-2-faster", "FlashAttention-2: Faster Attention with Better Parallelism",
             "An abstract.", (dt.date(2025, 3, 11), dt.date(2025, 6, 26)))
FETCHED = replace(SEED, meta=SourceMeta(arxiv_id="2307.08691", authors=("Tri Dao", "Zoë Ünal"), published="2023-07-17"))


def fields(entry: str) -> dict[str, str]:
    """Field name -> value of a one-field-per-line entry, as BibTeX reads it (outermost braces removed)."""
    return dict(re.findall(r"^  (\w+) = \{(.*)\},$", entry, re.M))


def test_a_seed_paper_is_cited_by_title_and_archive_page_with_no_guessed_year():
    entry = cite.bibtex(SEED, SETTINGS, cite.base_key(SEED))
    assert entry.startswith("@misc{flashattention2faster,\n") and entry.endswith("}\n")
    assert fields(entry) == {"title": "{FlashAttention-2:} Faster Attention with Better Parallelism",
                             "url": "https://example.org/archive/papers/flashattention-2-faster/"}


def test_a_fetched_paper_is_cited_with_authors_and_its_arxiv_eprint():
    entry = cite.bibtex(FETCHED, SETTINGS, cite.keys([FETCHED])[FETCHED.slug])
    assert entry.startswith("@misc{dao2023flashattention2,\n")
    assert fields(entry) == {"title": "{FlashAttention-2:} Faster Attention with Better Parallelism",
                             "author": "Tri Dao and Zoë Ünal", "year": "2023", "eprint": "2307.08691",
                             "archivePrefix": "arXiv", "url": "https://arxiv.org/abs/2307.08691"}


def test_without_a_published_date_the_year_is_the_arxiv_ids():
    paper = replace(SEED, meta=SourceMeta(arxiv_id="2307.08691"))
    assert cite.year(paper) == 2023 and cite.base_key(paper) == "flashattention2faster2023"
    assert cite.year(replace(SEED, meta=SourceMeta(arxiv_id="2307.08691v2"))) == 2023
    assert cite.year(replace(SEED, meta=SourceMeta(arxiv_id="hep-th/9901001"))) == 1999
    assert cite.year(replace(SEED, meta=SourceMeta(arxiv_id="math.AG/0601001v3"))) == 2006
    assert cite.year(replace(SEED, meta=SourceMeta(arxiv_id="not-an-id"))) is None


@pytest.mark.parametrize("text, escaped", [
    ("50% of $x_1$ & #2", r"50\% of \$x\_1\$ \& \#2"),
    ("a {lone brace", r"a \textbraceleft{}lone brace"),
    ("\\cite{x} ~ ^", r"\textbackslash{}cite\textbraceleft{}x\textbraceright{} \textasciitilde{} \textasciicircum{}"),
    ("two\n  lines", "two lines"),
])
def test_latex_specials_in_fields_are_escaped(text, escaped):
    assert cite.latex(text) == escaped
    entry = cite.bibtex(replace(FETCHED, title=text, meta=replace(FETCHED.meta, authors=(text,))), SETTINGS, "key")
    assert fields(entry)["title"] == fields(entry)["author"] == escaped
    assert entry.count("{") == entry.count("}")  # BibTeX counts every brace, escaped or not


@pytest.mark.parametrize("title, field", [
    ("KV Cache Compression for LLMs", "{KV} Cache Compression for {LLMs}"),
    ("3D-GRAND: Less Hallucination", "{3D-GRAND:} Less Hallucination"),
    ("Low-Rank Adapters (LoRA) & 50% {less}", r"{Low-Rank} Adapters {(LoRA)} \& 50\% \textbraceleft{}less\textbraceright{}"),
])
def test_words_with_inner_capitals_keep_their_case(title, field):
    entry = cite.bibtex(replace(SEED, title=title), SETTINGS, "key")
    assert fields(entry)["title"] == field and entry.count("{") == entry.count("}")


def test_keys_are_ascii_and_never_empty():
    assert cite.base_key(replace(SEED, title="The Llama 3 Herd of Models")) == "llama3"
    assert cite.base_key(replace(FETCHED, meta=replace(FETCHED.meta, authors=("Zoë Ünal",)))) == "unal2023flashattention2"
    assert cite.base_key(replace(SEED, title="视觉", meta=SourceMeta(authors=("张伟",)))) == "paper"


def test_keys_are_unique_and_a_later_paper_never_changes_an_earlier_key():
    def featured(slug, day):
        return replace(SEED, slug=slug, title="Efficient Transformers for Everything", dates=(dt.date(2025, 3, day),))
    papers = [featured("c", 13), featured("a", 11), featured("b", 11)]
    assert cite.keys(papers) == {"a": "efficienttransformers", "b": "efficienttransformersb", "c": "efficienttransformersc"}
    assert cite.keys(papers + [featured("d", 14)])["d"] == "efficienttransformersd"
    assert cite.keys(papers + [featured("d", 14)]).items() >= cite.keys(papers).items()


def test_a_letter_never_gives_a_key_another_paper_has():
    model = [replace(SEED, slug=slug, title=title, dates=(dt.date(2025, 3, day),))
             for slug, title, day in (("a", "Model", 1), ("b", "Model", 2), ("c", "ModelB", 3))]
    assert cite.keys(model) == {"a": "model", "b": "modelb", "c": "modelbb"}
    many = [replace(SEED, slug=f"p{n:02}", title="Same", dates=(dt.date(2025, 3, 1),)) for n in range(30)]
    found = cite.keys(many)
    assert len(set(found.values())) == 30 and found["p26"] == "same-27" and found["p29"] == "same-30"


def test_every_built_paper_page_has_a_cite_block(seed_site):
    path = seed_site.site_dir / "papers" / "flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness"
    page = BeautifulSoup((path / "index.html").read_text(), "html.parser")
    entry = page.select_one("details.pda-cite pre code").get_text()
    assert entry.startswith("@misc{flashattentionfast,")
    assert fields(entry)["url"] == ("https://paper-digest-archive.github.io/paper-digest-archive/papers/"
                                   "flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness/")
    pages = list((seed_site.site_dir / "papers").glob("*/index.html"))
    assert len(pages) == 262 and all(b"pda-cite" in p.read_bytes() for p in pages)
    keys = [re.search(r"@misc\{([^,]+),", p.read_text()).group(1) for p in pages]
    assert len(set(keys)) == 262  # 11 keys were shared by 38 papers when the key was one word and a guessed year


def test_the_copy_button_copies_the_entry(browser, seed_server):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=seed_server.url.rstrip("/"))
    page = context.new_page()
    page.goto(seed_server.url + "papers/flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness/")
    page.locator("details.pda-cite summary").click()
    page.locator("details.pda-cite button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{flashattentionfast,") and copied.strip() == page.locator("details.pda-cite code").inner_text().strip()
    context.close()
