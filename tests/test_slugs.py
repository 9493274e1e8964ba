"""Slugs are readable ASCII, distinct, and permanent: adding digests never changes an existing URL."""
import datetime as dt
import random

from generator.archive import merge
from generator.models import Digest, Entry
from generator.slugs import slugify

ABSTRACT = "An abstract long enough to be one, " * 4


def digest(name: str, date: dt.date, titles: list[str]) -> Digest:
    entries = tuple(Entry(title=t, abstract=ABSTRACT, line=i) for i, t in enumerate(titles, start=1))
    return Digest(source=name, date=date, entries=entries)


def slugs_of(digests: list[Digest]) -> dict[str, str]:
    papers, _ = merge(digests)
    return {p.title: p.slug for p in papers}


def test_non_ascii_titles_fold_to_distinct_readable_slugs():
    titles = ["Δ-DiT: Accelerating Diffusion Transformers", "γ-MoD: Mixture-of-Depth Adaptation",
              "Mélange: Cost Efficient LLM Serving", "PIXART-δ: Fast and Controllable Image Generation"]
    assert [slugify(t) for t in titles] == [
        "delta-dit-accelerating-diffusion-transformers", "gamma-mod-mixture-of-depth-adaptation",
        "melange-cost-efficient-llm-serving", "pixart-delta-fast-and-controllable-image-generation"]


def test_titles_without_ascii_still_get_a_slug():
    assert slugify("|").startswith("paper-")
    assert slugify("|") != slugify("*")


def test_colliding_slugs_resolve_the_same_whatever_the_input_order():
    # Different papers (different normalised titles) whose slugs fold to the same text.
    first = digest("a.txt", dt.date(2025, 3, 11), ["Δ-Net: A Network", "Other Paper"])
    second = digest("b.txt", dt.date(2025, 3, 17), ["Delta Net: a network", "Delta-Net: A Network"])
    expected = slugs_of([first, second])
    assert len(expected) == 3  # the two spellings of "Delta Net" are one paper
    assert expected["Δ-Net: A Network"] == "delta-net-a-network"
    assert expected["Delta Net: a network"].startswith("delta-net-a-network-")
    for _ in range(5):
        shuffled = [second, first]
        random.shuffle(shuffled)
        assert slugs_of(shuffled) == expected


def test_adding_a_digest_leaves_every_existing_url_unchanged(project):
    from generator.content import load
    before = {p.title: p.url for p in load(project).archive.papers}
    new = project.digests / "005_added.txt"
    seed = (project.digests / "000_707fa8d6304808c4.txt").read_text(encoding="utf-8")
    header, body = seed.split("Mar 11\n\n", 1)
    # A later digest repeating some seed papers (same slugs) and adding a colliding new title.
    new.write_text(header + "Mar 20\n\nTransformer in Transformer 日本\n\n" + ABSTRACT + "\n\n" + body,
                   encoding="utf-8")
    with open(project.dates_file, "a", encoding="utf-8") as dates:
        dates.write("005_added.txt: 2025-03-20\n")
    after = {p.title: p.url for p in load(project).archive.papers}
    assert len(after) == len(before) + 1
    assert {t: after[t] for t in before} == before
    # Its slug folds to the seed paper's: the newcomer gets the suffix, the seed keeps its URL.
    assert after["Transformer in Transformer 日本"].startswith("papers/transformer-in-transformer-")
