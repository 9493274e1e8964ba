"""Readable, permanent URL slugs and the title key papers are deduplicated by."""
from __future__ import annotations

import hashlib
import re
import unicodedata

# Greek letters are common in ML titles (Δ-DiT, γ-MoD, PIXART-δ); NFKD cannot fold them to ASCII.
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρστυφχψω",
    ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
     "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"]))
_GREEK["ς"] = "sigma"
MAX_SLUG = 80


def title_key(title: str) -> str:
    """The normalised title two digests must share to be the same paper."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", folded)) or " ".join(folded.split())  # "|" and "*" stay distinct


def slugify(title: str) -> str:
    """ASCII, lowercase, hyphen-separated; never empty."""
    text = "".join(f" {_GREEK[c]} " if c in _GREEK else c for c in title.casefold())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug or f"paper-{short_hash(title)}"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def assign(claims: list[tuple[tuple, str, str]]) -> dict[str, str]:
    """Map each identity key to a unique slug.

    `claims` holds (priority, key, title). The paper featured first (lowest priority) keeps the
    plain slug; later papers with the same slug get a suffix from their own key, so a slug depends
    only on the paper and on who was featured before it, never on input order.
    """
    taken: dict[str, str] = {}
    for _, key, title in sorted(claims):
        base = slugify(title)
        slug = base if base not in taken else f"{base}-{short_hash(key)}"
        taken[slug] = key
    return {key: slug for slug, key in taken.items()}
