// Typesets the math of a paper's abstract: each .pda-math span holds one formula as the authors wrote
// it, "$...$", "$$...$$", "\(...\)" or "\[...\]" (generator/latex.py decides what is math). KaTeX's
// defaults keep the source data: no \href, \url or HTML from it is honoured (trust: false). A formula
// it cannot read stays readable, in red, rather than stopping the others (throwOnError: false); sizes
// are capped, so that no formula can cover the page (maxSize, in em), nor expand without end.
document.querySelectorAll(".pda-math").forEach(function (span) {
  var source = span.textContent, opener = source.slice(0, 2);
  var display = opener === "$$" || opener === "\\[", cut = opener === "$$" || opener[0] === "\\" ? 2 : 1;
  katex.render(source.slice(cut, -cut), span,
    {displayMode: display, throwOnError: false, strict: false, maxSize: 10, maxExpand: 100});
});
