"""LaTeX left in abstracts, made readable.

Authors paste abstracts from their LaTeX sources: about one in thirteen Daily Papers abstracts
carries `\\%`, `\\textbf{...}`, `{\\alpha}` or `\\eg`. Outside math, those with one plain meaning
become that text; math (`$...$`) is kept as written, for the paper page to typeset. Anything else
(an author's own undefined macro, such as `\\tool`) is left as written: guessing would lose words.
A general LaTeX-to-text converter is not used because it rewrites ordinary text too: it drops
braces and `&`, reads `$5` as math and `~` as a space.
"""
from __future__ import annotations

import re

# Math spans, and an escaped dollar, which is text: the leftmost alternative wins at each position.
_SPANS = re.compile(r"(\\\$|\$\$[^$]+\$\$|\$[^$]+\$)")
_PROSE = re.compile(r"(?:[A-Za-z]{2,}\s+){3}")
_ESCAPED = re.compile(r"\\([%&_#$])")
_WRAPPERS = re.compile(r"\\(?:textbf|textit|textsc|texttt|textrm|textsf|textup|emph|underline|mbox|url)\{([^{}]*)\}")
_HREF = re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}")
_ABBREVIATIONS = {"eg": "e.g.", "ie": "i.e.", "etc": "etc.", "etal": "et al.", "vs": "vs."}
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ",
    "Omega": "Ω", "times": "×", "approx": "≈", "sim": "∼", "leq": "≤", "geq": "≥", "pm": "±",
    "cdot": "·", "rightarrow": "→", "to": "→", "infty": "∞", "textasciitilde": "~", "textendash": "–",
    "textemdash": "—",
}
_NAMED = re.compile(r"\{\\([A-Za-z]+)\}|\\([A-Za-z]+)(?![A-Za-z])(?:\{\})?\.?")
_INVISIBLE = {"nobreakdash", "allowbreak", "xspace"}


Spans = tuple[tuple[int, int], ...]  # where math is in a text: (start, end) of each "$...$"


def readable(text: str) -> tuple[str, Spans]:
    """The text with its text-mode LaTeX resolved, and where its math spans, kept as written, are."""
    if "\\" not in text and "$" not in text:  # most abstracts: 50,000 are read at every build
        return text, ()
    resolved, spans, at = [], [], 0
    for index, part in enumerate(_SPANS.split(text)):
        if index % 2 and _is_math(part):
            spans.append((at, at + len(part)))
        else:
            part = _text(part)
        resolved.append(part)
        at += len(part)
    return "".join(resolved), tuple(spans)


def pieces(text: str, spans: Spans) -> list[tuple[bool, str]]:
    """The text cut at its math spans: (is it math, the piece), in order."""
    cuts = [0] + [edge for span in spans for edge in span] + [len(text)]
    return [(index % 2 == 1, text[start:end]) for index, (start, end) in enumerate(zip(cuts, cuts[1:]))
            if start < end]


def _is_math(span: str) -> bool:
    # A lone dollar can pair with a later one across prose ("5.18\\times$ faster ... 42.9%$"): prose
    # with no macro in it is not math, and typesetting it would run its words together in italics.
    return span != "\\$" and ("\\" in span or not _PROSE.search(span))


def _text(part: str) -> str:
    for _ in range(3):  # \textbf{\emph{x}} unwraps from the inside out
        part = _WRAPPERS.sub(r"\1", part)
    part = _HREF.sub(r"\2 (\1)", part)
    return _ESCAPED.sub(r"\1", _NAMED.sub(_named, part))


def _named(match: re.Match) -> str:
    braced, name = match.group(1), match.group(2)
    word = braced or name
    whole = match.group(0)
    if word in _ABBREVIATIONS and not braced:
        return _ABBREVIATIONS[word]  # the macro's own full stop, if any, was matched and is replaced
    if word in _INVISIBLE:
        return whole[len(word) + 1:].removeprefix("{}")
    if word in _SYMBOLS:
        return _SYMBOLS[word] + ("." if not braced and whole.endswith(".") else "")
    return whole
