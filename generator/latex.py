"""LaTeX left in abstracts, made readable.

Authors paste abstracts from their LaTeX sources: about one in thirteen Daily Papers abstracts
carries `\\%`, `\\textbf{...}`, `{\\alpha}` or `\\eg`. Outside math, those with one plain meaning
become that text; math (`$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`) is kept as written, for the
paper page to typeset. Anything else (an author's own undefined macro, such as `\\tool`) is left as
written: guessing would lose words. A general LaTeX-to-text converter is not used because it
rewrites ordinary text too: it drops braces and `&`, reads `$5` as math and `~` as a space.
"""
from __future__ import annotations

import re

Spans = tuple[tuple[int, int], ...]  # where math is in a text: (start, end) of each formula

# What the scanner stops at: a dollar, a backslash or a brace. Other text is copied as it is.
_SPECIAL = re.compile(r"[$\\{}]")
_WRAPPER = re.compile(r"\\(?:textbf|textit|textsc|texttt|textrm|textsf|textup|emph|underline|mbox|url)\{")
_CLOSERS = {"\\(": "\\)", "\\[": "\\]", "$$": "$$", "$": "$"}
_PROSE = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]{2,}+\s+){3}")  # possessive: linear on long words
_SPACES = {"\\\\": " ", "\\,": " ", "\\;": " ", "\\ ": " ", "\\!": "", "\\$": "$"}
_ESCAPED = re.compile(r"\\([%&_#])")
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


def readable(text: str) -> tuple[str, Spans]:
    """The text with its text-mode LaTeX resolved, and where its math, kept as written, is."""
    if "\\" not in text and "$" not in text:  # most abstracts: 50,000 are read at every build
        return text, ()
    resolved, spans, prose = [], [], []
    braces: list[bool] = []  # open braces, innermost last: True for a wrapper's, which is dropped
    unclosed: set[str] = set()
    at = length = 0

    def flush() -> None:
        nonlocal length
        part = _text("".join(prose))
        prose.clear()
        resolved.append(part)
        length += len(part)

    while (found := _SPECIAL.search(text, at)) is not None:
        prose.append(text[at:found.start()])
        at = found.start()
        if (end := _math_end(text, at, unclosed)) is not None:
            flush()
            spans.append((length, length + end - at))
            resolved.append(text[at:end])
            length += end - at
            at = end
        elif (wrapper := _WRAPPER.match(text, at)) is not None:
            braces.append(True)
            at = wrapper.end()
        elif text[at:at + 2] in _SPACES:
            prose.append(_SPACES[text[at:at + 2]])
            at += 2
        elif text[at] == "}" and braces:
            prose.append("" if braces.pop() else "}")
            at += 1
        else:
            if text[at] == "{":
                braces.append(False)
            prose.append(text[at:at + 2] if text[at] == "\\" else text[at])  # a macro's backslash and letter
            at += 2 if text[at] == "\\" else 1
    prose.append(text[at:])
    flush()
    return "".join(resolved), tuple(spans)


def pieces(text: str, spans: Spans) -> list[tuple[bool, str]]:
    """The text cut at its math: (is it math, the piece), in order."""
    cuts = [0] + [edge for span in spans for edge in span] + [len(text)]
    return [(index % 2 == 1, text[start:end]) for index, (start, end) in enumerate(zip(cuts, cuts[1:]))
            if start < end]


def _math_end(text: str, start: int, unclosed: set[str]) -> int | None:
    """Where the formula opening at `start` ends, if one does. `unclosed` gathers the closers that
    the rest of the text lacks, so that many openers without one cost one search, not one each."""
    opener = next((o for o in _CLOSERS if text.startswith(o, start)), None)
    if opener is None or _CLOSERS[opener] in unclosed:
        return None
    closer, at = _CLOSERS[opener], start + len(opener)
    while (at := text.find(closer, at)) >= 0 and closer[0] == "$" and _escaped(text, at):
        at += 1  # an escaped dollar inside the formula is part of it
    if at < 0:
        unclosed.add(closer)
        return None
    end = at + len(closer)
    if opener == "$" and text[start + 1:start + 2].isdigit() and text[end:end + 1].isdigit():
        return None  # amounts: "$5-$10", "($5) and ($10)", "US$5 and US$10"
    return end if opener.startswith("\\") or _is_math(text[start + len(opener):at]) else None


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd run of backslashes (`\\$` is a line break, then $)."""
    run = at
    while run > 0 and text[run - 1] == "\\":
        run -= 1
    return (at - run) % 2 == 1


def _is_math(content: str) -> bool:
    # Dollars are also money: "costs $5 and $10 a day" holds no formula. A formula's text neither
    # starts nor ends with a space, and prose with no macro in it is not one ("5.18\times$ faster
    # ... 42.9%$"): typesetting it would run its words together in italics.
    return bool(content) and not content[0].isspace() and not content[-1].isspace() \
        and ("\\" in content or not _PROSE.search(content))


def _text(part: str) -> str:
    return _ESCAPED.sub(r"\1", _NAMED.sub(_named, _HREF.sub(r"\2 (\1)", part)))


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
