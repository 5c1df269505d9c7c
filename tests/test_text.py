"""Outside text made safe for terminal lines, BibTeX, RIS, CSL-JSON and Markdown."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from implicit_atlas.graph.text import clean_text, markdown_text, markdown_url, shorten


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        pytest.param("Line\nbreak\r\ttab", "Line break tab", id="whitespace"),
        pytest.param("bell\x07 nul\x00 del\x7f", "bell nul del", id="ascii-controls"),
        pytest.param("esc\x1b[31mred", "esc [31mred", id="ansi-escape"),
        pytest.param("sep\u2028para\u2029x", "sep para x", id="unicode-separators"),
        pytest.param("evil\u202eelif.exe", "evil elif.exe", id="bidi-override"),
        pytest.param("  Müller 深度  ", "Müller 深度", id="unicode-kept"),
        pytest.param(2019, "2019", id="not-a-string"),
    ],
)
def test_clean_text_is_one_printable_line(raw: object, clean: str) -> None:
    assert clean_text(raw) == clean


def test_shorten() -> None:
    assert shorten("abcdef", 4) == "abc…"
    assert shorten("abc", 4) == shorten("abc", None) == "abc"


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Link [click](javascript:alert(1)) ](javascript:alert(2))", id="link"),
        pytest.param("Newline\n* injected bullet\n# heading", id="newline"),
        pytest.param(
            "<script>alert(1)</script> and </script><img src=x onerror=alert(1)>", id="html"
        ),
        pytest.param("Pipe | cell `code` *emph* _u_ &copy; &#169;", id="specials"),
    ],
)
def test_markdown_text_renders_as_its_own_plain_text(title: str) -> None:
    html = MarkdownIt("commonmark").render(f"* {markdown_text(title)}: [link](https://x.org)\n")
    assert html.count("<li>") == 1 and html.count("<a ") == 1, html
    assert "javascript:" not in html.split('href="')[1].split('"')[0]
    assert "<script" not in html and "<img" not in html and "<em>" not in html
    assert "©" not in html and "<h1>" not in html


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://doi.org/10.1016/S0140-6736(97)11096-0", id="doi-parentheses"),
        pytest.param("https://x.org/a b<c>d", id="space-angle"),
        pytest.param("https://x.org/a)](javascript:alert(1)", id="injection"),
    ],
)
def test_markdown_url_keeps_the_whole_target(url: str) -> None:
    html = MarkdownIt("commonmark").render(f"[t]({markdown_url(url)}) and <{markdown_url(url)}>")
    hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert len(hrefs) == 2 and hrefs[0] == hrefs[1]
    assert hrefs[0].startswith("https://x.org/") or hrefs[0].startswith("https://doi.org/")
    assert html.count("<a ") == 2 and ")" not in hrefs[0]  # one link each, never cut short
