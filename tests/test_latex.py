"""LaTeX left in abstracts: text-mode LaTeX resolved, math kept as written for the page to typeset."""
import pytest

from generator.latex import pieces, readable


def math_of(text: str) -> list[str]:
    resolved, spans = readable(text)
    return [piece for math, piece in pieces(resolved, spans) if math]


@pytest.mark.parametrize("written, shown", [
    ("a 100\\% success rate, R\\&D, snake\\_case, \\#1 and \\$5", "a 100% success rate, R&D, snake_case, #1 and $5"),
    ("\\textbf{HSPI} -- a \\emph{new} \\textsc{Method}", "HSPI -- a new Method"),
    ("\\textbf{\\textit{both}} and \\underline{50\\%}", "both and 50%"),
    ("PIXART-{\\alpha} beats PIXART-{\\delta}", "PIXART-α beats PIXART-δ"),
    ("approximately \\textasciitilde42\\% time", "approximately ~42% time"),
    ("video editing, \\etc. However, \\eg tables and \\ie rows", "video editing, etc. However, e.g. tables and i.e. rows"),
    ("see \\href{https://x.org/a}{our site}", "see our site (https://x.org/a)"),
    ("code at \\url{https://github.com/o/r}.", "code at https://github.com/o/r."),
    ("end-to\\nobreakdash-end and long\\allowbreak{}words", "end-to-end and longwords"),
    ("a 5.18\\times{} speed-up.", "a 5.18× speed-up."),
])
def test_text_mode_latex_becomes_its_text(written, shown):
    assert readable(written) == (shown, ())


@pytest.mark.parametrize("text", [
    "we propose \\tool, which beats \\proj",  # an author's own undefined macro: guessing would lose words
    "files in C:\\Users\\tools and {braces} & ~20 ms at $5",
    "no LaTeX at all: 10% faster, {\"json\": 1}",
])
def test_what_has_no_plain_meaning_is_left_as_written(text):
    assert readable(text) == (text, ())


def test_math_is_kept_as_written_and_the_text_around_it_resolved():
    text, spans = readable("costs $\\mathcal{O}(n^2)$ and $$28.4\\%$$ of \\$3, i.e. 10\\%")
    assert text == "costs $\\mathcal{O}(n^2)$ and $$28.4\\%$$ of $3, i.e. 10%"
    assert pieces(text, spans) == [(False, "costs "), (True, "$\\mathcal{O}(n^2)$"), (False, " and "),
                                   (True, "$$28.4\\%$$"), (False, " of $3, i.e. 10%")]


def test_an_escaped_dollar_is_text_even_beside_math():
    assert math_of("an escaped \\$5 and $x$ then \\$6") == ["$x$"]
    assert math_of("$a$") == ["$a$"]


def test_dollars_pairing_across_prose_are_not_math():
    written = "up to 5.18\\times$ latency reductions on GPUs and 42.9%$ energy savings"
    assert readable(written) == ("up to 5.18×$ latency reductions on GPUs and 42.9%$ energy savings", ())
    assert math_of("the $\\textit{ball convergence}$ radius") == ["$\\textit{ball convergence}$"]


@pytest.mark.parametrize("text, math", [
    ("training costs only $300 and achieves $\\mathcal{O}(n)$ memory", ["$\\mathcal{O}(n)$"]),
    ("costs $5 for each of the many queries, while $\\alpha$ is small", ["$\\alpha$"]),
    ("from $5 to $10 per hour", []),
    ("it costs $\\$0.5$ a query", ["$\\$0.5$"]),
    ("Spearman's \\(\\rho=0.97\\) on all tasks", ["\\(\\rho=0.97\\)"]),
    ("display \\[E = mc^2\\] too", ["\\[E = mc^2\\]"]),
    ("$x \\\\$ and then $y$", ["$x \\\\$", "$y$"]),  # a formula ending in a line break
    ("from $5-$10, ($5) and ($10), US$5 and US$10, $5/$10", []),
])
def test_dollars_for_money_are_not_math_and_every_kind_of_formula_is(text, math):
    assert math_of(text) == math


@pytest.mark.parametrize("written, shown", [
    ("achieves \\textbf{2.3$\\times$} speed-up", "achieves 2.3$\\times$ speed-up"),
    ("\\textbf{PIXART-{\\alpha}} wins", "PIXART-α wins"),
    ("a line\\\\to the next, vs.\\ this, a\\,b", "a line to the next, vs. this, a b"),
    ("an unmatched } and \\{ braces \\}", "an unmatched } and \\{ braces \\}"),
])
def test_wrappers_are_dropped_around_math_and_braces_and_spacing_resolved(written, shown):
    assert readable(written)[0] == shown
