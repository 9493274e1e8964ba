"""URLs in abstracts: found with or without a scheme, trimmed of the sentence around them."""
import pytest

from generator import links


@pytest.mark.parametrize("text, found", [
    ("Code: https://github.com/org/repo.", ["https://github.com/org/repo"]),
    ("Code at github.com/org/repo, data at huggingface.co/datasets/x", ["https://github.com/org/repo",
                                                                         "https://huggingface.co/datasets/x"]),
    ("Project page: {https://3d-grand.github.io}", ["https://3d-grand.github.io"]),
    ("See yushuang-wu.github.io/NeRDF for videos.", ["https://yushuang-wu.github.io/NeRDF"]),
    ("Demo at my-lab.github.io.", ["https://my-lab.github.io"]),
    ("(see www.example.org/page)", ["https://www.example.org/page"]),
    ("Mail someone@lab.github.io or read foo.github.iox", []),
    ("Not foo.github.io-bar, nor example.com/x.github.io, nor \u017f.github.io", []),
    ("Wiki: https://en.wikipedia.org/wiki/Mercury_(planet)).", ["https://en.wikipedia.org/wiki/Mercury_(planet)"]),
    ("A 10~20X speed-up over NeRF.", []),
])
def test_urls_are_found_with_or_without_a_scheme(text, found):
    assert links.urls(text) == found


def test_linkify_escapes_the_text_and_keeps_it_as_written():
    html = links.linkify("<b>x</b> at name.github.io/p?a=1&b=2.")
    assert html == ('&lt;b&gt;x&lt;/b&gt; at <a href="https://name.github.io/p?a=1&amp;b=2" rel="nofollow noopener">'
                    'name.github.io/p?a=1&amp;b=2</a>.')


def test_a_url_ending_in_many_brackets_is_trimmed_of_them():
    # 40,000 of them: each step once counted every bracket again (1.3 s); now the counts are kept.
    assert links.urls("https://a.org/x" + ")" * 40_000) == ["https://a.org/x"]
    assert links.urls("see (https://a.org/f(x)))") == ["https://a.org/f(x)"]


def test_a_papers_links_are_those_outside_its_math():
    import datetime as dt
    from generator.latex import readable
    from generator.models import Paper
    abstract, math = readable("Code: https://github.com/o/r$x$ and $[x](http://e.com)$ at site.github.io.")
    paper = Paper("p", "T", abstract, (dt.date(2025, 3, 11),), math=math)
    assert links.paper_urls(paper) == ["https://github.com/o/r", "https://site.github.io"]
