"""Text from outside (titles, authors, venues, URLs) made safe for each kind of output.

Titles and names come from curated lists, printed reference lists and Semantic Scholar: they
can hold newlines, control characters, Markdown or HTML. Every text output (terminal tables,
BibTeX, RIS, CSL-JSON, Markdown) passes them through one of these functions, so a title can
never add a line, a link or a tag.

    >>> clean_text("A\\ntitle\\x07 with\\tbreaks")
    'A title with breaks'
    >>> markdown_text("A [link](javascript:x) *bold*")
    'A \\\\[link\\\\](javascript:x) \\\\*bold\\\\*'
    >>> markdown_url("https://doi.org/10.1016/S0140-6736(97)11096-0")
    'https://doi.org/10.1016/S0140-6736%2897%2911096-0'
"""

from __future__ import annotations

import re
from typing import Any

ROW_TITLE_WIDTH = 150
"""Titles in table rows and path lines are cut here (JSON, BibTeX and Markdown keep them whole)."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_MARKDOWN_ENTITY = re.compile(r"&(?=#?\w+;)")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


def clean_text(value: Any) -> str:
    """One printable line: control and other non-printable characters (newlines, tabs, escape
    sequences, bidi overrides) become spaces and runs of spaces collapse."""
    text = str(value)
    if not text.isprintable():  # the common case skips the per-character pass
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def shorten(text: str, width: int | None) -> str:
    """`text` cut to `width` characters, the last one an ellipsis when it was cut."""
    if width is not None and len(text) > width:
        return text[: width - 1] + "…"
    return text


def markdown_text(value: Any) -> str:
    """Outside text safe inline in Markdown: one line, with the characters that start links,
    emphasis, code, HTML, headings and table cells escaped ("&copy;" stays literal)."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", clean_text(value))
    return _MARKDOWN_ENTITY.sub(r"\\&", text)


def markdown_url(url: Any) -> str:
    """A URL safe as a Markdown link target or autolink: no space, parenthesis or angle
    bracket can end it early (DOIs such as 10.1016/S0140-6736(97)11096-0 have parentheses)."""
    return "".join(_URL_UNSAFE.get(ch, ch) for ch in clean_text(url))


def is_web_url(url: Any) -> bool:
    """Whether `url` is an http(s) address: the only kind a generated list links to (a
    ``javascript:`` or ``data:`` URL from the data must not become a clickable link)."""
    return isinstance(url, str) and url.strip().lower().startswith(("http://", "https://"))
