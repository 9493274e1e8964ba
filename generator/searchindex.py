"""The search index's format: the archive's papers in, the files a browser searches out.

Every file is gzipped here, whatever the host does, and inflated by the browser
(overrides/assets/javascripts/search-index.js reads them):
  index.pda      the manifest: how many papers, each date's first paper, the tags and their paper
                 counts, and the term buckets' keys and sizes
  terms/K.pda    the bucket of key K (its UTF-8 bytes in hex, "all" for the empty key): the terms
                 that begin with the key (and with no longer key), each with its postings: the
                 papers it is in, and how much it weighs in each
  tags/N.pda     the papers of tag N
  papers/N.pda   paper N as a result shows it: URL, title, date, arXiv id, tags, authors, abstract

Papers are numbered oldest first (by date first featured, then URL), so "newest first" is number
order backwards, a date or a year is a run of numbers, and a new digest's papers take new numbers:
the files of the papers before them, and the buckets of words it does not use, stay as they were. A search loads the manifest, then for each word
typed the one bucket holding it (and the small buckets of longer words it begins), and a paper's
file only when its result is shown: what it loads grows with the words typed, not the archive.
Buckets are cut along the terms' prefixes, each no larger than BUCKET_BYTES unless one term alone
is: a word's bucket is found from its own letters, and the words it begins are in it or next to it.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import deflate

LEVEL = 9  # libdeflate: within 1 % of its strongest level, at a sixth of the time
BUCKET_BYTES = 16_000  # at most in a bucket, before gzip, unless one term alone is more
# Words in almost every abstract: each would weigh a large bucket and narrow nothing. The browser
# drops them from queries too (search-index.js keeps the same list).
STOP_WORDS = frozenset(("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it",
                        "its", "of", "on", "or", "that", "the", "this", "to", "via", "we", "with"))
# A number with dots is one word (an arXiv id, "3.5"); otherwise letters and digits.
TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)+|[^\W_]+")
ACCENTS = re.compile("[\u0300-\u036f]")  # combining diacritics: "García" is found as "Garcia"
WORD_LENGTH = 64  # a longer token (a DNA string, a hash) is cut to its first 64 characters
KEY_BYTES = 24  # a bucket's key is split no further: its file's name stays short
# How much a word weighs in each part of a record: a title word far above an abstract word.
WEIGHTS = {"name": 12.0, "title": 6.0, "arxiv": 12.0, "tags": 2.0, "authors": 1.5, "abstract": 1.0}
NAME = "="  # begins the term of a title's name ("FlashAttention-2: ..." gives "=flashattention2")
NAME_WORDS = 4  # at most, in a name
K1, B = 1.2, 0.75  # BM25's saturation and length normalisation, for the title and the abstract
# Typical lengths in indexed words, fixed rather than the archive's averages: a new paper then
# changes no other paper's weights, so only the buckets of its own words change.
TYPICAL_WORDS = {"title": 9, "abstract": 130}
SCALE = 8  # a weight is stored as round(weight * SCALE) in one byte


@dataclass(frozen=True)
class Record:
    """What is searched and shown of one paper; `date` is the date first featured (ISO)."""

    url: str
    title: str
    abstract: str
    date: str
    arxiv: str = ""
    tags: tuple[str, ...] = ()  # names, in the paper's order
    authors: tuple[str, ...] = ()


def words(text: str) -> list[str]:
    """The indexed terms of a text, in order: normalised, accents dropped, lower-cased, stop words
    left out, plurals folded (the browser does the same to a query, search-index.js)."""
    # Accents go before lower-casing, which would turn "İ" into "i" and a combining dot.
    bare = ACCENTS.sub("", unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text)))
    tokens = TOKEN.findall(bare.lower())
    return [stem(token[:WORD_LENGTH]) for token in tokens if token not in STOP_WORDS]


def stem(word: str) -> str:
    """Harman's S-stemmer: "caches" and "cache", "queries" and "query" are one term."""
    if not word.isalpha():
        return word
    if len(word) > 4 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def ordered(records: list[Record]) -> list[Record]:
    """Oldest first: by date first featured, then by URL."""
    return sorted(records, key=lambda r: (r.date, r.url))


def build(records: list[Record], tag_names: list[str], bucket_bytes: int = BUCKET_BYTES) -> dict[str, bytes]:
    """Every file of the index, by its path in the index folder, for records in `ordered` order."""
    postings: dict[str, list[int]] = {}  # term -> paper number << 8 | weight, in number order
    for number, record in enumerate(records):
        for term, weight in _weights(_fields(record)).items():
            postings.setdefault(term, []).append(number << 8 | weight)
    buckets = _buckets({term: _entry(term, postings[term]) for term in sorted(postings)}, bucket_bytes)
    files = {bucket_file(key): _gzip(b"".join(entries)) for key, entries in buckets}
    members = _tag_members(records, tag_names)
    files.update({f"tags/{n}.pda": _gzip(_numbers(m)) for n, m in enumerate(members)})
    files.update({f"papers/{n}.pda": _gzip(_json(_shown(r))) for n, r in enumerate(records)})
    manifest = {"papers": len(records), "dates": _date_starts(records),
                "tags": [[name, len(m)] for name, m in zip(tag_names, members)],
                "buckets": [[key, len(files[bucket_file(key)])] for key, _ in buckets]}
    files["index.pda"] = _gzip(_json(manifest))
    return files


def name(title: str) -> list[str]:
    """The term of the name a title gives its method before a colon, if it does: a query of
    exactly that name ranks the paper first ("FlashAttention" above "FlashAttention-2: ...")."""
    named = words(title.split(":", 1)[0]) if ":" in title else []
    return [NAME + "".join(named)] if 0 < len(named) <= NAME_WORDS else []


def _fields(record: Record) -> dict[str, list[str]]:
    return {"name": name(record.title), "title": words(record.title), "abstract": words(record.abstract),
            "arxiv": words(record.arxiv), "tags": words(" ".join(record.tags)),
            "authors": words(" ".join(record.authors))}


def bucket_file(key: str) -> str:
    """A bucket's file, named for its key: the same key keeps its file as the archive grows."""
    return f"terms/{key.encode().hex() or 'all'}.pda"


def _weights(fields: dict[str, list[str]]) -> dict[str, int]:
    """Each term's weight in one paper: BM25 in each part, times the part's weight, summed."""
    total: dict[str, float] = {}
    for field, terms in fields.items():
        norm = 1 - B + B * len(terms) / TYPICAL_WORDS[field] if field in TYPICAL_WORDS else 1.0
        for term, count in Counter(terms).items():
            saturated = count * (K1 + 1) / (count + K1 * norm)
            total[term] = total.get(term, 0.0) + WEIGHTS[field] * saturated
    return {term: max(1, min(255, round(value * SCALE))) for term, value in total.items()}


def _entry(term: str, postings: list[int]) -> bytes:
    """A term in its bucket: its UTF-8 length and bytes, its paper count, then each paper's number
    (as the gap from the one before) and weight."""
    name = term.encode()
    out = bytearray(_varint(len(name)) + name + _varint(len(postings)))
    previous = 0
    for posting in postings:
        number = posting >> 8
        out += _varint(number - previous)
        out.append(posting & 0xFF)
        previous = number
    return bytes(out)


def _buckets(entries: dict[str, bytes], limit: int, key: str = "") -> list[tuple[str, list[bytes]]]:
    """Terms (sorted) grouped under prefixes: a prefix whose terms exceed `limit` bytes is split by
    the next letter, its own exact term (if any) staying under it, down to keys of KEY_BYTES.
    Returns (key, entries) in key order."""
    if sum(len(e) for e in entries.values()) <= limit or len(entries) == 1 or len(key.encode()) >= KEY_BYTES:
        return [(key, list(entries.values()))] if entries else []
    out = [(key, [entries[key]])] if key in entries else []
    children: dict[str, dict[str, bytes]] = {}
    for term, entry in entries.items():
        if term != key:
            children.setdefault(term[:len(key) + 1], {})[term] = entry
    for child in sorted(children):
        out.extend(_buckets(children[child], limit, child))
    return out


def _tag_members(records: list[Record], tag_names: list[str]) -> list[list[int]]:
    members: dict[str, list[int]] = {name: [] for name in tag_names}
    for number, record in enumerate(records):
        for name in record.tags:
            members[name].append(number)
    return [members[name] for name in tag_names]


def _shown(record: Record) -> dict:
    return {"url": record.url, "title": record.title, "date": record.date, "arxiv": record.arxiv,
            "tags": list(record.tags), "authors": list(record.authors), "abstract": record.abstract}


def _date_starts(records: list[Record]) -> list[list]:
    """[date, number of its first paper] for each date, oldest first."""
    starts: list[list] = []
    for number, record in enumerate(records):
        if not starts or starts[-1][0] != record.date:
            starts.append([record.date, number])
    return starts


def _numbers(numbers: list[int]) -> bytes:
    out, previous = bytearray(), 0
    for number in numbers:
        out += _varint(number - previous)
        previous = number
    return bytes(out)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _gzip(data: bytes) -> bytes:
    return deflate.gzip_compress(data, LEVEL)
