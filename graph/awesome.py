"""Reading an awesome-list Markdown file into curated entries.

Headings become sections, list items become entries, links become identifiers:

    * Neural Ordinary Differential Equations (best paper award): [NeurIPS18](https://arxiv.org/pdf/1806.07366.pdf)
    * [torchdiffeq](https://github.com/rtqichen/torchdiffeq) - ODE solvers in PyTorch

Venue labels (``NeurIPS18``, ``ICML17``, ``arxiv``) give venue and year, a parenthesised note
(``(oral)``) becomes the note, and quoted abstracts are left out (the catalog holds facts only).
Everything that could not become an entry is reported with its line number, never dropped silently.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .identity import normalize_arxiv, normalize_doi, normalize_repo, normalize_title
from .venues import parse_venue_label

_NAVIGATION_HEADINGS = {"table of contents", "contents", "toc", "contributing", "license"}
_SOFTWARE_SECTIONS = re.compile(r"software|librar|code|package|tool|implementation", re.I)
_TUTORIAL_SECTIONS = re.compile(r"tutorial|blog|website|talk|lecture|course|video", re.I)
_PAPER_TITLE_WORDS = 4
"""An item linking only to a repository is software unless its title reads like a paper's."""
_NOTE = re.compile(r"\s*\(([^()]*)\)\s*$")


@dataclass
class ParsedItem:
    """One entry read from the list, with the Markdown line it came from (1-based)."""

    line: int
    section: str
    title: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    warning: str | None = None


@dataclass
class Problem:
    line: int
    text: str
    reason: str


@dataclass
class ParsedList:
    sections: list[str]
    items: list[ParsedItem]
    problems: list[Problem]
    skipped_navigation: int = 0


def classify_link(url: str) -> dict[str, Any]:
    """What a link tells about a work: identifiers, venue hints, or just a URL to keep."""
    arxiv = normalize_arxiv(url) if "arxiv.org" in url.lower() else None
    if arxiv:
        return {"arxiv": arxiv}
    if re.match(r"^(?:https?://)?(?:dx\.)?doi\.org/", url, re.I):
        doi = normalize_doi(url)
        if doi:
            return {"doi": doi}
    repo = normalize_repo(url)
    if repo:
        return {"repo": url}
    low = url.lower()
    if "papers.nips.cc" in low or "proceedings.neurips.cc" in low:
        return {"url": url, "venue": "NeurIPS"}
    if "proceedings.mlr.press" in low:
        return {"url": url, "venue": "PMLR"}
    if "openreview.net" in low:
        return {"url": url, "venue_hint": "OpenReview"}
    return {"url": url}


def _inline_parts(inline: Token) -> tuple[str, list[tuple[str, str]], str]:
    """(text before the first link, [(link text, href)], full plain text) of an inline token."""
    before: list[str] = []
    links: list[tuple[str, str]] = []
    full: list[str] = []
    href: str | None = None
    link_text: list[str] = []
    for child in inline.children or []:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            link_text = []
        elif child.type == "link_close":
            links.append(("".join(link_text).strip(), href or ""))
            full.append("".join(link_text))
            href = None
        elif child.type in ("text", "code_inline", "softbreak", "hardbreak"):
            content = " " if child.type.endswith("break") else child.content
            if href is not None:
                link_text.append(content)
            else:
                full.append(content)
                if not links:
                    before.append(content)
    return "".join(before), links, "".join(full)


def _section_type(section: str) -> str:
    if _SOFTWARE_SECTIONS.search(section):
        return "software"
    if _TUTORIAL_SECTIONS.search(section):
        return "tutorial"
    return "paper"


def _split_note(text: str) -> tuple[str, str | None]:
    m = _NOTE.search(text)
    if m and m.start() > 0:
        return text[: m.start()].strip(), m.group(1).strip() or None
    return text.strip(), None


_DETAILS = " — "
"""What separates a work from its details in the list `export --format markdown` writes:
``[Title](url) — authors · NeurIPS18 (best paper award) · code: [repo](url) · 3,942 citations``."""
_LINK_TARGET = re.compile(r"\]\((?:<([^>]*)>|([^)\s]+))")
_ENTRY_LINE = re.compile(r"^\s*[^\s\[\]][^\[\]]*:\s*\[[^\]]+\]\(")
"""A line that is an entry on its own: ``Title: [NeurIPS20](url)``."""
_NOTE_AFTER_LINK = re.compile(r"\]\([^)]*\)\s*\(([^()]*)\)\s*$")


def _export_details(full_text: str, raw: str) -> tuple[set[str], str | None, str | None]:
    """(links to code and implemented papers, venue label, note) of an exported line.

    Those links name other entries (the software, or the paper it implements), so they must
    not become this entry's identifiers.
    """
    if _DETAILS not in full_text:
        return set(), None, None
    elsewhere: set[str] = set()
    for segment in raw.split(" · "):
        detail = segment.split(_DETAILS, 1)[-1].strip()
        if detail.lower().startswith(("code:", "implements:")):
            # compared unquoted: the parser may percent-encode what the source spelled out
            elsewhere |= {
                urllib.parse.unquote(bracketed or bare)
                for bracketed, bare in _LINK_TARGET.findall(detail)
            }
    for segment in full_text.split(_DETAILS, 1)[1].split(" · "):
        text, note = _split_note(segment.strip())
        if parse_venue_label(text) or parse_venue_label(text.removesuffix(" workshop")):
            return elsewhere, text, note
    return elsewhere, None, None


def parse_item(
    before: str, links: list[tuple[str, str]], full_text: str, raw: str = ""
) -> ParsedItem | str:
    """Turn one list item's inline content into an entry, or a reason why it is not one.

    Understood shapes: ``Title (note): [NeurIPS18](url)``, ``Title [NeurIPS18](url) (note)``,
    ``[Title](url) - description``, ``Title. [pdf](url)``, a bare ``Title``, and the lines
    `implicit-atlas export --format markdown` writes (`raw` is the item's Markdown source).
    """
    elsewhere, exported_label, exported_note = _export_details(full_text, raw)
    real_links = [
        (t, h)
        for t, h in links
        if h and not h.startswith("#") and urllib.parse.unquote(h) not in elsewhere
    ]
    if links and not real_links and not elsewhere:
        return "navigation"
    fields: dict[str, Any] = {}
    before = before.strip()
    labels = [t for t, _ in real_links if parse_venue_label(t)]
    if exported_label and not labels:
        labels = [exported_label]
    if real_links and not before:
        link_title = real_links[0][0]
        if parse_venue_label(link_title):
            return "the only text is a venue label; no title could be read"
        title, note = _split_note(link_title)
    elif real_links:
        title, note = _split_note(before.rstrip(" :-–—.,"))
    elif _DETAILS in full_text:
        title, note = _split_note(full_text.split(_DETAILS, 1)[0].strip())
    else:
        title, note = _split_note(full_text.strip())
    if note is None:
        after_link = _NOTE_AFTER_LINK.search(raw)
        note = exported_note or (after_link.group(1).strip() if after_link else None) or None
    if not title or not normalize_title(title):
        return "no title could be read"
    if labels:
        fields["venue_label"] = labels[0]
    extra_links: list[str] = []
    for _, href in real_links:
        for key, value in classify_link(href).items():
            if key == "venue_hint":
                continue
            if key in ("url", "repo") and "url" in fields:
                extra_links.append(value)
            elif key == "repo":
                fields["url"] = value
            else:
                fields.setdefault(key, value)
    if extra_links:
        fields["links"] = extra_links
    if note:
        fields["note"] = note
    return ParsedItem(line=0, section="", title=title, fields=fields)


def _entry_lines(md: MarkdownIt, inline: Token) -> list[tuple[int, Token, str, bool]]:
    """(line offset, inline token, Markdown source, joined) for each entry of a paragraph.

    A line written directly under a bullet without ``* `` continues that bullet's paragraph
    in Markdown; when it holds a link of its own it is read as an entry of its own
    (``joined``), not merged into the bullet above.
    """
    lines = inline.content.split("\n")
    starts = [0] + [n for n, line in enumerate(lines) if n and _ENTRY_LINE.match(line)]
    if len(starts) == 1:
        return [(0, inline, inline.content, False)]
    out = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        text = "\n".join(lines[start:end])
        parsed = md.parseInline(text)
        if parsed and text.strip():
            out.append((start, parsed[0], text, start > 0))
    return out


def parse_awesome_list(text: str) -> ParsedList:
    """Parse awesome-list Markdown into sections, entries and problems (with line numbers)."""
    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    sections: list[str] = []
    items: list[ParsedItem] = []
    problems: list[Problem] = []
    skipped = 0
    heading: str | None = None
    in_navigation = False
    list_depth = 0
    quote_depth = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            heading = inline.content.strip()
            in_navigation = heading.lower() in _NAVIGATION_HEADINGS
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif (
            tok.type == "list_item_open"
            and tokens[i + 1].type == "list_item_close"
            and heading is not None
            and not in_navigation
        ):
            problems.append(Problem((tok.map or [0])[0] + 1, "", "empty list item"))
        elif tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        elif tok.type == "inline" and quote_depth == 0 and tokens[i - 1].type == "paragraph_open":
            line = (tok.map or [0])[0] + 1
            in_item = list_depth > 0 and tokens[i - 2].type == "list_item_open"
            if in_navigation or heading is None:
                if in_item:
                    skipped += 1
                i += 1
                continue
            for offset, inline, raw, joined in _entry_lines(md, tok):
                outside, links, full = _inline_parts(inline)
                if not in_item and not links:
                    continue  # prose between entries
                parsed = parse_item(outside, links, full, raw)
                if parsed == "navigation":
                    skipped += 1
                    continue
                if isinstance(parsed, str):
                    if in_item:
                        problems.append(Problem(line + offset, raw, parsed))
                    continue
                if not in_item or joined:
                    if "venue_label" not in parsed.fields and ":" not in raw:
                        continue  # a paragraph with a link, not an entry
                    parsed.warning = "not a list item (missing '* '); read as an entry anyway"
                parsed.line = line + offset
                parsed.section = heading
                if (
                    "url" in parsed.fields
                    and normalize_repo(parsed.fields["url"])
                    and not (parsed.fields.get("arxiv") or parsed.fields.get("doi"))
                    and len((parsed.title or "").split()) < _PAPER_TITLE_WORDS
                ):  # "torchdiffeq" is software; "Monotone Operator ... Networks" a paper
                    parsed.fields.setdefault("type", "software")
                section_type = _section_type(heading)
                if section_type != "paper":
                    parsed.fields["type"] = section_type
                if heading not in sections:
                    sections.append(heading)
                items.append(parsed)
        i += 1
    return ParsedList(sections, items, problems, skipped)
