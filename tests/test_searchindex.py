"""The search index's files, read back as search-index.js reads them."""
import gzip
import json

from generator import searchindex
from generator.searchindex import Record


def record(url: str, title: str, abstract: str = "Plain words here.", date: str = "2025-03-11", **more) -> Record:
    return Record(url, title, abstract, date, **more)


def manifest(files: dict[str, bytes]) -> dict:
    return json.loads(gzip.decompress(files["index.pda"]))


def gaps(data: bytes) -> list[int]:
    out, at = [], 0
    while at < len(data):
        value, at = _varint(data, at)
        out.append(value)
    return out


def bucket_terms(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """A bucket's terms, each with its (paper number, weight) postings."""
    terms, at = {}, 0
    while at < len(data):
        length, at = _varint(data, at)
        term = data[at:at + length].decode()
        count, at = _varint(data, at + length)
        postings, number = [], 0
        for _ in range(count):
            gap, at = _varint(data, at)
            number += gap
            postings.append((number, data[at]))
            at += 1
        terms[term] = postings
    return terms


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while data[at] >= 0x80:
        value |= (data[at] & 0x7F) << shift
        shift += 7
        at += 1
    return value | data[at] << shift, at + 1


def all_terms(files: dict[str, bytes]) -> dict[str, tuple[str, list]]:
    """Every term, with the key of the bucket holding it and its postings."""
    found = {}
    for key, size in manifest(files)["buckets"]:
        data = files[searchindex.bucket_file(key)]
        assert len(data) == size
        for term, postings in bucket_terms(gzip.decompress(data)).items():
            assert term not in found
            found[term] = (key, postings)
    return found


def test_words_are_normalised_and_plurals_folded():
    assert searchindex.words("The KV-Caches of FlashAttention-2 (arXiv 2407.21783v2)") == [
        "kv", "cache", "flashattention", "2", "arxiv", "2407.21783", "v2"]
    assert searchindex.words("Queries, glasses, bias, processes, Ｆｕｌｌ") == ["query", "glasse", "bia", "processe", "full"]  # Harman: "bias" too


def test_accents_are_dropped_and_very_long_tokens_cut():
    assert searchindex.words("İbrahim Şahin, García-Ferrero") == ["ibrahim", "sahin", "garcia", "ferrero"]
    assert searchindex.words("x" * 100 + " y") == ["x" * searchindex.WORD_LENGTH, "y"]


def test_terms_sharing_a_long_prefix_keep_short_bucket_files():
    # 120 sequences sharing a 50-letter prefix: buckets would split down to 50-letter keys
    dna = " ".join("acgt" * 12 + "ac" + format(n, "07b").replace("0", "a").replace("1", "c") for n in range(120))
    files = searchindex.build([record("papers/dna/", "Sequences", dna)], [], bucket_bytes=200)
    keys = [key for key, _ in manifest(files)["buckets"]]
    assert max(len(key.encode()) for key in keys) == searchindex.KEY_BYTES
    assert max(len(name) for name in files) < 70
    assert all_terms(files)  # every term still in the bucket of its longest key


def test_papers_are_numbered_oldest_first_and_dates_start_runs():
    records = searchindex.ordered([record("papers/b/", "B", date="2025-01-02"), record("papers/c/", "C", date="2025-01-03"),
                                   record("papers/a/", "A", date="2025-01-02")])
    assert [r.url for r in records] == ["papers/a/", "papers/b/", "papers/c/"]
    files = searchindex.build(records, [])
    assert manifest(files)["dates"] == [["2025-01-02", 0], ["2025-01-03", 2]]
    assert json.loads(gzip.decompress(files["papers/1.pda"]))["url"] == "papers/b/"


def test_a_new_date_leaves_the_files_of_earlier_papers_and_of_words_it_lacks_as_they_were():
    before = [record(f"papers/p{n}/", f"Zebrafish {n}", f"Swimming study number {n}.") for n in range(20)]
    after = before + [record("papers/new/", "Zebrafish Robots", "Grasping objects.", date="2025-03-12")]
    old, new = searchindex.build(before, []), searchindex.build(after, [])
    assert {name for name in old if old[name] != new.get(name)} == {"index.pda", "terms/all.pda"}  # one bucket here
    assert set(new) - set(old) == {"papers/20.pda"}
    small = searchindex.build(before, [], bucket_bytes=60), searchindex.build(after, [], bucket_bytes=60)
    changed = [name for name in small[0] if name.startswith("terms/") and small[0][name] != small[1].get(name)]
    assert 0 < len(changed) < len([name for name in small[0] if name.startswith("terms/")]) / 2


def test_each_term_is_in_the_bucket_of_its_longest_key_and_buckets_stay_small():
    titles = [f"Model {word} study" for word in ("alpha", "alphabet", "alpine", "beta", "betting", "gamma", "modal")]
    records = [record(f"papers/p{n}/", title, "Models model modelling " * 20) for n, title in enumerate(titles)]
    files = searchindex.build(records, [], bucket_bytes=40)
    keys = [key for key, _ in manifest(files)["buckets"]]
    assert keys == sorted(keys) and len(keys) > 3
    terms = all_terms(files)
    for term, (key, _) in terms.items():
        assert key == max((k for k in keys if term.startswith(k)), key=len)
    for key, _ in manifest(files)["buckets"]:
        held = bucket_terms(gzip.decompress(files[searchindex.bucket_file(key)]))
        assert len(held) == 1 or sum(len(t.encode()) + 2 + 2 * len(p) for t, p in held.items()) <= 40
    assert [number for number, _ in terms["model"][1]] == list(range(7))


def test_a_title_word_weighs_more_than_an_abstract_word_and_a_name_more_still():
    records = [record("papers/a/", "Zebrafish: Tracking Fish"), record("papers/b/", "Tracking Fish", "Zebrafish swim.")]
    terms = all_terms(searchindex.build(records, []))
    in_title, in_abstract = (weight for _, weight in terms["zebrafish"][1])
    assert in_title > 3 * in_abstract
    assert terms["=zebrafish"][1] == [(0, 96)]  # a name weighs 12 title words' 6; stored times 8


def test_a_name_is_a_few_words_before_a_colon():
    assert searchindex.name("FlashAttention-2: Faster Attention") == ["=flashattention2"]
    assert searchindex.name("Attention Is All You Need") == []
    assert searchindex.name("A Very Long Lead In Before The Colon: Then") == []


def test_tag_files_list_their_papers():
    records = [record(f"papers/p{n}/", f"T{n}", tags=("Robotics",) if n % 2 else ()) for n in range(5)]
    files = searchindex.build(records, ["Robotics", "Unused"])
    assert manifest(files)["tags"] == [["Robotics", 2], ["Unused", 0]]
    assert gaps(gzip.decompress(files["tags/0.pda"])) == [1, 2]  # numbers 1 and 3, as gaps
    assert gzip.decompress(files["tags/1.pda"]) == b""


def test_the_same_records_give_the_same_bytes():
    records = [record(f"papers/p{n}/", f"Title {n}", f"Abstract {n} with words") for n in range(30)]
    assert searchindex.build(records, []) == searchindex.build(list(records), [])
