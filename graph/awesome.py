"""Reading an awesome-list Markdown file, as maintainers write it, into curated entries.

Only list items are entries. Intro text, quotes (abstracts), ``**NOTE:**`` paragraphs, badges,
HTML blocks and commented-out lines never are; what was left out is reported with its line.

Headings give each entry a section and, below it, a subsection path. When the list has a table
of contents, the headings it links to are the sections (headings above them only group them);
otherwise the first heading under the list's title is the section. Under a software heading an
item is software, under a tutorial/talk heading a tutorial:

    * Neural Ordinary Differential Equations (best paper award): [NeurIPS18](https://arxiv.org/pdf/1806.07366.pdf)
    * `torchdyn` PyTorch library for neural ODEs. [repo](https://github.com/diffeqml/torchdyn)
    * **NeurIPS20 Tutorial** *Deep Implicit Layers* [website](http://implicit-layers-tutorial.org/)

>>> parsed = parse_awesome_list(
...     "## Software\\n### Solvers\\n* `torchdiffeq` ODE solvers: [repo](https://github.com/rtqichen/torchdiffeq)\\n"
... )
>>> item = parsed.items[0]
>>> item.title, item.section, item.subsection, item.fields["type"], item.fields["note"]
('torchdiffeq', 'Software', 'Solvers', 'software', 'ODE solvers')
"""

from __future__ import annotations

import difflib
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .catalog import label_venue
from .identity import normalize_arxiv, normalize_doi, normalize_repo, normalize_title
from .venues import VENUES, parse_venue_label

_NAVIGATION_HEADINGS = {
    "table of contents",
    "contents",
    "toc",
    "contributing",
    "contribute",
    "license",
    "licence",
    "citation",
    "acknowledgements",
    "acknowledgments",
}
_SOFTWARE_SECTIONS = re.compile(
    r"\b(software|librar\w*|code|packages?|tools?|toolkits?|implementations?|frameworks?)\b", re.I
)
_TUTORIAL_SECTIONS = re.compile(
    r"\b(tutorials?|blogs?|websites?|talks?|lectures?|courses?|videos?|presentations?)\b", re.I
)
_PAPER_TITLE_WORDS = 4
"""An item linking only to a repository is software unless its title reads like a paper's."""
_NOTE = re.compile(r"\s*\(([^()]*)\)\s*$")
SUBSECTION_SEPARATOR = " / "
"""Joins the headings below a section into one subsection path ("Theory / Stability")."""

LINK_KINDS = ("repo", "docs", "website", "video")
"""The catalog fields a further link of an entry is kept in, by what it points at."""
_KIND_WORDS = {
    "repo": {"repo", "repository", "code", "github", "gitlab", "source", "implementation"},
    "docs": {"docs", "doc", "documentation", "manual", "api", "reference"},
    "website": {"website", "site", "homepage", "home", "project", "project page", "blog", "web"},
    "video": {"video", "youtube", "talk", "recording", "slideslive", "vimeo"},
}
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "slideslive.com", "bilibili.com")
_LABEL_SHAPE = re.compile(r"^([A-Za-z][A-Za-z&.]{1,11})[ '’-]?((?:19|20)?\d{2})(?:[ -][A-Za-z]+)?$")
"""Link text shaped like a venue label (letters, then a 2- or 4-digit year): "arXv21"."""
_KIND_SUFFIX = re.compile(r"\s+(tutorial|talk|keynote|workshop|lecture|invited talk)$", re.I)


@dataclass
class ParsedItem:
    """One entry read from the list, with the Markdown line it came from (1-based)."""

    line: int
    section: str
    title: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    warning: str | None = None
    subsection: str | None = None


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
    skipped: list[Problem] = field(default_factory=list)
    """Blocks that are not list items (intro, quotes, notes, HTML), never entries."""


# --- links ----------------------------------------------------------------------------------


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


def link_kind(text: str, url: str) -> str | None:
    """Which of :data:`LINK_KINDS` a link is: by its text ("docs"), else by where it points.

    >>> link_kind("docs", "https://diffeq.sciml.ai/stable/"), link_kind("", "https://youtu.be/x")
    ('docs', 'video')
    """
    words = text.strip().lower().strip("[]() ")
    for kind, names in _KIND_WORDS.items():
        if words in names:
            return kind
    if normalize_repo(url):
        return "repo"
    host = urllib.parse.urlsplit(url).netloc.lower()
    if any(host == h or host.endswith("." + h) for h in _VIDEO_HOSTS):
        return "video"
    if host.endswith("readthedocs.io") or host.startswith("docs."):
        return "docs"
    return None


def label_typo(label: str) -> str | None:
    """The known label a misspelt one most likely means ("arXv21" -> "arXiv21"), if any."""
    m = _LABEL_SHAPE.match(label)
    if not m:
        return None
    close = difflib.get_close_matches(m.group(1).lower(), list(VENUES), n=1, cutoff=0.75)
    return VENUES[close[0]].short + m.group(2) if close else None


def _is_label(text: str) -> bool:
    """Link text that names a venue rather than the work: a known label or one shaped like it."""
    text = text.strip()
    return bool(text) and (label_venue(text) is not None or bool(_LABEL_SHAPE.match(text)))


# --- inline content ---------------------------------------------------------------------------


@dataclass
class _Link:
    text: str
    href: str
    badge: bool = False


@dataclass
class _Inline:
    """The parts of one item's inline Markdown the importer reads."""

    before: str = ""  # plain text before the first link (badges excluded)
    full: str = ""  # plain text of the whole item, link texts included
    after: str = ""  # plain text after the last link
    links: list[_Link] = field(default_factory=list)
    leading_code: str | None = None  # `code` the item starts with
    strong: str | None = None  # the first **bold** part
    em: str | None = None  # the first *emphasised* part outside bold
    html_only: bool = False  # nothing but inline HTML (a commented-out entry)


def _read_inline(inline: Token) -> _Inline:
    out = _Inline()
    before: list[str] = []
    full: list[str] = []
    after: list[str] = []
    link: _Link | None = None
    link_text: list[str] = []
    strong_depth = em_depth = 0
    strong_text: list[str] = []
    em_text: list[str] = []
    seen_content = False
    html_seen = False
    for child in inline.children or []:
        kind = child.type
        if kind == "link_open":
            link = _Link("", str(child.attrs.get("href", "")))
            link_text = []
        elif kind == "link_close" and link is not None:
            link.text = "".join(link_text).strip()
            out.links.append(link)
            if not link.badge:
                full.append("".join(link_text))
                after.clear()
            link = None
        elif kind == "image":
            if link is not None:
                link.badge = True
            seen_content = True
        elif kind == "html_inline":
            html_seen = True
        elif kind == "strong_open":
            strong_depth += 1
        elif kind == "strong_close":
            strong_depth -= 1
            if out.strong is None and strong_text:
                out.strong = "".join(strong_text).strip()
        elif kind == "em_open":
            em_depth += 1
        elif kind == "em_close":
            em_depth -= 1
            if out.em is None and em_text and not strong_depth:
                out.em = "".join(em_text).strip()
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            content = " " if kind.endswith("break") else child.content
            if kind == "code_inline" and not seen_content and out.leading_code is None:
                out.leading_code = content.strip()
            if content.strip():
                seen_content = True
            if strong_depth and out.strong is None:
                strong_text.append(content)
            if em_depth and not strong_depth and out.em is None:
                em_text.append(content)
            if link is not None:
                link_text.append(content)
                continue
            full.append(content)
            after.append(content)
            if not [lk for lk in out.links if not lk.badge]:
                before.append(content)
    out.before, out.full, out.after = "".join(before), "".join(full), "".join(after)
    out.html_only = html_seen and not out.full.strip() and not out.links
    return out


# --- items ------------------------------------------------------------------------------------


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
_DESCRIPTION_PUNCTUATION = " \t:,;-–—|"


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
        if label_venue(text) is not None:
            return elsewhere, text, note
    return elsewhere, None, None


def _add_links(fields: dict[str, Any], links: list[_Link], *, software: bool) -> None:
    """Identifiers from the links; the main link in `url`, others by kind or in `links`."""
    extra: list[str] = []
    if software:  # a package is identified by its repository, wherever the list puts it
        repos = [lk for lk in links if normalize_repo(lk.href)]
        links = repos[:1] + [lk for lk in links if lk not in repos[:1]]
    for lk in links:
        classified = classify_link(lk.href)
        has_main = bool(fields.get("url") or fields.get("arxiv") or fields.get("doi"))
        kind = link_kind(lk.text, lk.href)
        identifies = "arxiv" in classified or "doi" in classified
        if has_main and kind and kind not in fields and not identifies:
            fields[kind] = lk.href
            continue
        for key, value in classified.items():
            if key == "venue_hint":
                continue
            if key in ("url", "repo"):
                if "url" in fields or has_main:  # slides, a mirror: kept, not the main link
                    extra.append(value)
                else:
                    fields["url"] = value
            else:
                fields.setdefault(key, value)
    if extra:
        fields["links"] = extra


def _description(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(_DESCRIPTION_PUNCTUATION)


def parse_item(
    before: str, links: list[tuple[str, str]], full_text: str, raw: str = ""
) -> ParsedItem | str:
    """Turn one paper item's inline content into an entry, or a reason why it is not one.

    Understood shapes: ``Title (note): [NeurIPS18](url)``, ``Title [NeurIPS18](url) (note)``,
    ``[Title](url) - description``, ``Title. [pdf](url) [code](url)``, a bare ``Title``, and
    the lines `implicit-atlas export --format markdown` writes (`raw` is the item's source).
    """
    return _parse_paper(_Inline(before, full_text, "", [_Link(t, h) for t, h in links]), raw)


def _parse_paper(inline: _Inline, raw: str) -> ParsedItem | str:
    links = [lk for lk in inline.links if not lk.badge]
    full_text = inline.full
    elsewhere, exported_label, exported_note = _export_details(full_text, raw)
    real_links = [
        lk
        for lk in links
        if lk.href
        and not lk.href.startswith("#")
        and urllib.parse.unquote(lk.href) not in elsewhere
    ]
    if links and not real_links and not elsewhere:
        return "navigation"
    fields: dict[str, Any] = {}
    before = inline.before.strip()
    labels = [lk.text for lk in real_links if _is_label(lk.text)]
    if exported_label and not labels:
        labels = [exported_label]
    note: str | None = None
    if real_links and not before:
        link_title = real_links[0].text
        if _is_label(link_title):
            return "the only text is a venue label; no title could be read"
        title, note = _split_note(link_title)
        described = _link_description(raw)
        if described and note is None:
            if _is_label(described) and not labels:
                labels = [described]
            else:
                note = described
    elif real_links:
        title, note = _split_note(_without_authors(before, inline.em).rstrip(" :-–—.,"))
    elif _DETAILS in full_text:
        title, note = _split_note(full_text.split(_DETAILS, 1)[0].strip())
    else:
        title, note = _split_note(full_text.strip())
        if note and _is_label(note):  # "Title (ICLR 2021)": a venue, not a note
            labels, note = [note], None
    if note is None:
        after_link = _NOTE_AFTER_LINK.search(raw)
        note = exported_note or (after_link.group(1).strip() if after_link else None) or None
    if not title or not normalize_title(title):
        return "no title could be read"
    if labels:
        fields["venue_label"] = labels[0]
    _add_links(fields, real_links, software=False)
    if note:
        fields["note"] = note
    return ParsedItem(line=0, section="", title=title, fields=fields)


def _without_authors(text: str, emphasised: str | None) -> str:
    """The title without the authors some lists put after it in italics (``Title, *Chen et
    al.*``); emphasis inside a title stays."""
    text = text.strip()
    if emphasised and text.endswith(emphasised) and len(text) > len(emphasised):
        return text[: -len(emphasised)].rstrip(" ,;:-–—")
    return text


def _link_description(raw: str) -> str | None:
    """What follows ``[Title](url)`` up to the export's details (``- description``, ``: note``)."""
    m = re.match(r"^\s*\[[^\]]*\]\((?:<[^>]*>|[^)\s]*)\)([^\[]*)", raw)
    if not m:
        return None
    text = m.group(1).split(_DETAILS, 1)[0]
    if not text.strip() or not re.match(r"^\s*[-–—:]", text):
        return None
    return _description(text) or None


def _parse_software(inline: _Inline, raw: str) -> ParsedItem | str:
    """`` `name` description [repo](url), [docs](url)`` or ``[name](url) - description``."""
    elsewhere, _, _ = _export_details(inline.full, raw)
    links = [
        lk
        for lk in inline.links
        if not lk.badge
        and lk.href
        and not lk.href.startswith("#")
        and urllib.parse.unquote(lk.href) not in elsewhere
    ]
    if inline.links and not links and not elsewhere:
        return "navigation"
    text = inline.full.split(_DETAILS, 1)[0]
    first = links[0] if links else None
    named_by_link = (
        first is not None
        and inline.leading_code is None
        and not inline.before.strip()
        and link_kind(first.text, "") is None
        and not _is_label(first.text)
    )
    if inline.leading_code:
        title = inline.leading_code
        rest = inline.before.strip()[len(title) :] if links else text.strip()[len(title) :]
    elif named_by_link and first is not None:
        title = first.text
        rest = _link_description(raw) or ""
    elif inline.strong and inline.before.strip().startswith(inline.strong):
        title = inline.strong
        rest = inline.before.strip()[len(title) :]
    else:
        words = (inline.before if links else text).strip().split(maxsplit=1)
        if not words:
            return "no name could be read"
        title = words[0].rstrip(":,;-–—")
        rest = words[1] if len(words) > 1 else ""
    fields: dict[str, Any] = {"type": "software"}
    _add_links(fields, links, software=True)
    if fields.get("arxiv") and not normalize_repo(fields.get("url")):
        return _parse_paper(inline, raw)  # a paper filed among the software
    note = _description(rest)
    if note:
        fields["note"] = note
    if not normalize_title(title):
        return "no name could be read"
    return ParsedItem(line=0, section="", title=title, fields=fields)


def _parse_tutorial(inline: _Inline, raw: str) -> ParsedItem | str:
    """``**Event** *Title | Speaker* [website](url)``; other shapes are read like a paper's."""
    if not inline.em:
        parsed = _parse_paper(inline, raw)
        if isinstance(parsed, ParsedItem):
            parsed.fields["type"] = "tutorial"
        return parsed
    title, _, speaker = inline.em.partition(" | ")
    fields: dict[str, Any] = {"type": "tutorial"}
    if speaker.strip():
        fields["authors"] = [s.strip() for s in re.split(r",| and | & ", speaker) if s.strip()]
    _add_links(fields, [lk for lk in inline.links if not lk.badge and lk.href], software=False)
    event = (inline.strong or "").strip()
    if event:
        if label_venue(event) is not None:
            fields["venue_label"] = event
        else:
            fields["note"] = event
    if not normalize_title(title):
        return "no title could be read"
    return ParsedItem(line=0, section="", title=title.strip(), fields=fields)


# --- the document -----------------------------------------------------------------------------


def heading_anchor(text: str) -> str:
    """The anchor GitHub gives a heading ("Software and Libraries" -> "software-and-libraries")."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@dataclass
class _Heading:
    line: int
    level: int
    text: str
    parents: list[int]
    navigation: bool = False
    items: int = 0


def _plain(inline: Token) -> str:
    parts = [c.content for c in inline.children or [] if c.type in ("text", "code_inline")]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


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


def _outline(tokens: list[Token]) -> tuple[list[_Heading], list[int | None], set[str]]:
    """The headings, the heading each token sits under, and the anchors the list links to."""
    headings: list[_Heading] = []
    under: list[int | None] = []
    anchors: set[str] = set()
    stack: list[int] = []
    current: int | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            while stack and headings[stack[-1]].level >= level:
                stack.pop()
            text = _plain(tokens[i + 1])
            navigation = text.lower().strip(" :") in _NAVIGATION_HEADINGS
            headings.append(_Heading((tok.map or [0])[0] + 1, level, text, list(stack), navigation))
            stack.append(len(headings) - 1)
            current = len(headings) - 1
        under.append(current)
        if tok.type == "inline":
            for child in tok.children or []:
                href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
                if href.startswith("#") and len(href) > 1:
                    anchors.add(urllib.parse.unquote(href[1:]).lower())
            if current is not None and i >= 2 and tokens[i - 2].type == "list_item_open":
                headings[current].items += 1
    return headings, under, anchors


def _place(
    headings: list[_Heading], index: int, anchors: set[str], title: int | None
) -> tuple[str, str | None, str] | None:
    """(section, subsection path, kind of section) of the entries under heading `index`."""
    if headings[index].navigation:  # a heading after it is not inside it, whatever its level
        return None
    chain = [*headings[index].parents, index]
    path = [h for h in chain if h != title and not headings[h].navigation]
    if not path:
        return None
    linked = [n for n, h in enumerate(path) if heading_anchor(headings[h].text) in anchors]
    if linked:
        path = path[linked[0] :]
    kind = "paper"
    for h in reversed(path):
        text = headings[h].text
        if _SOFTWARE_SECTIONS.search(text):
            kind = "software"
            break
        if _TUTORIAL_SECTIONS.search(text):
            kind = "tutorial"
            break
    names = [headings[h].text for h in path]
    return names[0], SUBSECTION_SEPARATOR.join(names[1:]) or None, kind


_SKIP_KINDS = {
    "blockquote_open": "quote",
    "html_block": "HTML block",
    "paragraph_open": "paragraph",
}


def parse_awesome_list(text: str) -> ParsedList:
    """Parse awesome-list Markdown into sections, entries and problems (with line numbers)."""
    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    headings, under, anchors = _outline(tokens)
    title = 0 if headings and headings[0].level == 1 and headings[0].items == 0 else None
    places = [_place(headings, h, anchors, title) for h in range(len(headings))]
    sections: list[str] = []
    items: list[ParsedItem] = []
    problems: list[Problem] = []
    skipped: list[Problem] = []
    navigation = 0
    list_depth = quote_depth = 0
    for i, tok in enumerate(tokens):
        heading = under[i]
        place = places[heading] if heading is not None else None
        line = (tok.map or [0])[0] + 1
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "blockquote_open":
            if quote_depth == 0:
                skipped.append(Problem(line, "", "quote"))
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        elif tok.type == "html_block" and quote_depth == 0:
            reason = "commented out" if tok.content.lstrip().startswith("<!--") else "HTML block"
            skipped.append(Problem(line, tok.content.strip(), reason))
        elif (
            tok.type == "list_item_open"
            and tokens[i + 1].type == "list_item_close"
            and place is not None
        ):
            problems.append(Problem(line, "", "empty list item"))
        elif tok.type == "inline" and quote_depth == 0 and tokens[i - 1].type == "paragraph_open":
            in_item = list_depth > 0 and tokens[i - 2].type == "list_item_open"
            if place is None:
                if in_item:
                    navigation += 1
                elif tok.content.strip():
                    where = heading is None or heading == title
                    reason = "intro text" if where else "text under a navigation heading"
                    skipped.append(Problem(line, tok.content, reason))
                continue
            section, subsection, kind = place
            for offset, inline_tok, raw, joined in _entry_lines(md, tok):
                inline = _read_inline(inline_tok)
                real = [lk for lk in inline.links if not lk.badge]
                if inline.html_only:
                    skipped.append(Problem(line + offset, raw, "commented out"))
                    continue
                if not in_item and not joined and not _missing_bullet(inline, raw):
                    if inline.full.strip():
                        reason = "paragraph with a link" if real else "text between entries"
                        skipped.append(Problem(line + offset, raw, reason))
                    continue
                parsed = _parse(kind, inline, raw)
                if parsed == "navigation":
                    navigation += 1
                    continue
                if isinstance(parsed, str):
                    if in_item:
                        problems.append(Problem(line + offset, raw, parsed))
                    else:
                        skipped.append(Problem(line + offset, raw, "paragraph with a link"))
                    continue
                if not in_item or joined:
                    parsed.warning = "not a list item (missing '* '); read as an entry anyway"
                else:
                    parsed.warning = _label_warning(parsed)
                parsed.line, parsed.section, parsed.subsection = line + offset, section, subsection
                if (
                    kind == "paper"
                    and "url" in parsed.fields
                    and normalize_repo(parsed.fields["url"])
                    and not (parsed.fields.get("arxiv") or parsed.fields.get("doi"))
                    and len((parsed.title or "").split()) < _PAPER_TITLE_WORDS
                ):  # "torchdiffeq" is software; "Monotone Operator ... Networks" a paper
                    parsed.fields.setdefault("type", "software")
                if section not in sections:
                    sections.append(section)
                items.append(parsed)
    return ParsedList(sections, items, problems, navigation, skipped)


def _parse(kind: str, inline: _Inline, raw: str) -> ParsedItem | str:
    if kind == "software":
        return _parse_software(inline, raw)
    if kind == "tutorial":
        return _parse_tutorial(inline, raw)
    return _parse_paper(inline, raw)


def _missing_bullet(inline: _Inline, raw: str) -> bool:
    """A paragraph that is plainly an entry whose ``* `` was forgotten: ``Title: [NeurIPS20](url)``
    with a venue label the importer knows; quotes, notes and pointers to other lists are not."""
    real = [lk for lk in inline.links if not lk.badge]
    return (
        bool(real)
        and bool(_ENTRY_LINE.match(raw))
        and parse_venue_label(real[0].text.strip()) is not None
        and bool(inline.before.strip())
    )


def _label_warning(item: ParsedItem) -> str | None:
    label = item.fields.get("venue_label")
    if not label or label_venue(label) is not None:
        return None
    guess = label_typo(label)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"venue label {label!r} is not one implicit-atlas knows, so no venue or year{hint}"


def skipped_summary(skipped: list[Problem]) -> list[str]:
    """One line per kind of block that was left out, with its line numbers."""
    by_reason: dict[str, list[int]] = {}
    for p in skipped:
        by_reason.setdefault(p.reason, []).append(p.line)
    counts = Counter({r: len(lines) for r, lines in by_reason.items()})
    return [
        f"{reason} ×{n} (line{'s' if n > 1 else ''} {', '.join(map(str, by_reason[reason]))})"
        for reason, n in counts.most_common()
    ]
