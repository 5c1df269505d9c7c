"""Venue labels as awesome lists print them ("NeurIPS18", "ICML17", "arxiv") and their full names.

>>> label = parse_venue_label("NeurIPS18")
>>> label.short, label.year, label.full
('NeurIPS', 2018, 'Advances in Neural Information Processing Systems')
>>> parse_venue_label("arxiv").short
'arXiv'
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Venue:
    short: str
    full: str | None
    kind: str  # conference | journal | workshop | preprint | talk


# The one table of venues: list labels ("NeurIPS18") and BibTeX booktitles/journals
# (graph/bibtex.py) both read it, so a venue's full name is written in one place.
VENUES: dict[str, Venue] = {}
"""Lower-case label alias -> venue: what an awesome list may print before the year."""
VENUE_NAMES: dict[str, Venue] = {}
"""Other names of a venue, as :func:`normalize_venue` writes them (lower case, no punctuation,
no year or ordinal): how Semantic Scholar and printed reference lists write it."""


def _add(
    aliases: tuple[str, ...],
    short: str,
    full: str | None,
    kind: str,
    names: tuple[str, ...] = (),
) -> None:
    venue = Venue(short, full, kind)
    for alias in aliases:
        VENUES[alias] = venue
    for name in names:
        VENUE_NAMES[name] = venue


_NEURIPS = "Advances in Neural Information Processing Systems"
_add(
    ("neurips", "nips"),
    "NeurIPS",
    _NEURIPS,
    "conference",
    ("neural information processing systems", "advances in neural information processing systems"),
)
_add(
    ("icml",),
    "ICML",
    "International Conference on Machine Learning",
    "conference",
    ("international conference on machine learning",),
)
_add(
    ("iclr",),
    "ICLR",
    "International Conference on Learning Representations",
    "conference",
    ("international conference on learning representations",),
)
_add(
    ("aistats",),
    "AISTATS",
    "International Conference on Artificial Intelligence and Statistics",
    "conference",
    ("international conference on artificial intelligence and statistics",),
)
_add(
    ("aaai",), "AAAI", "Proceedings of the AAAI Conference on Artificial Intelligence", "conference"
)
_add(
    ("ijcai",),
    "IJCAI",
    "Proceedings of the International Joint Conference on Artificial Intelligence",
    "conference",
)
_add(("uai",), "UAI", "Conference on Uncertainty in Artificial Intelligence", "conference")
_add(
    ("colt",),
    "COLT",
    "Conference on Learning Theory",
    "conference",
    ("conference on learning theory",),
)
_add(
    ("cvpr",),
    "CVPR",
    "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
    "conference",
    ("ieee conference on computer vision and pattern recognition",),
)
_add(("iccv",), "ICCV", "IEEE/CVF International Conference on Computer Vision", "conference")
_add(("eccv",), "ECCV", "European Conference on Computer Vision", "conference")
_add(
    ("l4dc",),
    "L4DC",
    "Learning for Dynamics and Control Conference",
    "conference",
    ("learning for dynamics and control",),
)
_add(
    ("corl",),
    "CoRL",
    "Conference on Robot Learning",
    "conference",
    ("conference on robot learning",),
)
_add(("kdd",), "KDD", "ACM SIGKDD Conference on Knowledge Discovery and Data Mining", "conference")
_add(
    ("popl",), "POPL", "ACM SIGPLAN Symposium on Principles of Programming Languages", "conference"
)
# venues BibTeX expands but the list's labels do not use (yet): names only
_add(
    (), "ICRA", "IEEE International Conference on Robotics and Automation", "conference", ("icra",)
)
_add(
    (),
    "IROS",
    "IEEE/RSJ International Conference on Intelligent Robots and Systems",
    "conference",
    ("iros",),
)
_add((), "CDC", "IEEE Conference on Decision and Control", "conference", ("cdc",))
_add((), "ACC", "American Control Conference", "conference", ("acc",))
_add((), "STOC", "ACM Symposium on Theory of Computing", "conference", ("stoc",))
_add((), "FOCS", "IEEE Symposium on Foundations of Computer Science", "conference", ("focs",))
_add((), "MLHC", "Machine Learning for Healthcare Conference", "conference", ("mlhc",))
_add(
    (),
    "RSS",
    "Robotics: Science and Systems",
    "conference",
    ("rss", "robotics science and systems"),
)
_add(
    (),
    "ACL",
    "Annual Meeting of the Association for Computational Linguistics",
    "conference",
    ("acl",),
)
_add(
    (),
    "EMNLP",
    "Conference on Empirical Methods in Natural Language Processing",
    "conference",
    ("emnlp",),
)
_add(
    (),
    "ICASSP",
    "IEEE International Conference on Acoustics, Speech and Signal Processing",
    "conference",
    ("icassp",),
)
_add(
    (),
    "CCS",
    "ACM SIGSAC Conference on Computer and Communications Security",
    "conference",
    ("ccs",),
)
_add(
    ("jmlr",),
    "JMLR",
    "Journal of Machine Learning Research",
    "journal",
    ("journal of machine learning research", "the journal of machine learning research"),
)
_add(("tmlr",), "TMLR", "Transactions on Machine Learning Research", "journal")
_add(
    (),
    "TPAMI",
    "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "journal",
    ("tpami", "ieee tpami"),
)
_add(
    (),
    "TNNLS",
    "IEEE Transactions on Neural Networks and Learning Systems",
    "journal",
    ("ieee tnnls",),
)
_add((), "PNAS", "Proceedings of the National Academy of Sciences", "journal", ("pnas",))
_add(
    (),
    "SIMODS",
    "SIAM Journal on Mathematics of Data Science",
    "journal",
    ("siam j math data sci",),
)
_add(("juliacon",), "JuliaCon", "JuliaCon", "talk")
_add(("arxiv", "preprint"), "arXiv", None, "preprint")


def full_names(kind: str) -> dict[str, str]:
    """Every alias and name of the venues of `kind` -> the venue's full name."""
    return {
        alias: venue.full
        for alias, venue in (VENUES | VENUE_NAMES).items()
        if venue.kind == kind and venue.full
    }


@dataclass(frozen=True)
class VenueLabel:
    short: str
    year: int | None
    full: str | None
    kind: str


_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z\-]*?)\s*'?(\d{2}|\d{4})?\s*$")


def parse_venue_label(label: str) -> VenueLabel | None:
    """Split "NeurIPS18" / "ICML 2017" / "arxiv" into venue and year; None if not a known venue."""
    m = _LABEL.match(label or "")
    if not m:
        return None
    name, digits = m.group(1), m.group(2)
    venue = VENUES.get(name.lower())
    if venue is None:
        return None
    year: int | None = None
    if digits:
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    return VenueLabel(venue.short, year, venue.full, venue.kind)


def full_venue_name(venue: str | None) -> str | None:
    """The full proceedings/journal name for a short venue ("NeurIPS" -> "Advances in …")."""
    if not venue:
        return None
    known = VENUES.get(venue.strip().lower())
    return known.full if known else None


_ORDINAL = re.compile(
    r"\b(\d+(st|nd|rd|th)|(twenty|thirty|forty|fifty)?-?"
    r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))\b"
)


def normalize_venue(venue: str) -> str:
    """A venue string without case, punctuation, year, ordinal, volume or "Proceedings of"."""
    text = venue.lower()
    text = re.sub(r"-?\s*volume\s+\d+", " ", text)
    text = _ORDINAL.sub(" ", text)
    text = re.sub(r"\b(19|20)\d\d\b|\b'\d\d\b", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"^(the )?proceedings of (the )?", "", text.strip())
    return " ".join(text.split())


def short_venue(venue: str | None) -> str | None:
    """The venue's usual short name when the table knows it, else the venue as given.

    "International Conference on Learning Representations" -> "ICLR", "arxiv" -> "arXiv":
    tables and tooltips show one name per venue however Semantic Scholar spelled it.

    >>> short_venue("Proceedings of the 37th International Conference on Machine Learning")
    'ICML'
    """
    if not venue or not venue.strip():
        return venue
    norm = normalize_venue(venue)
    bare = re.sub(r"( \d+)+$", "", norm)  # "... systems 33": a volume number
    known = VENUES.get(norm) or VENUE_NAMES.get(norm) or VENUE_NAMES.get(bare)
    return known.short if known else venue.strip()


def venue_display(label: str | None, venue: str | None) -> str | None:
    """What a table shows for a paper's venue: its curated label ("NeurIPS18", with the
    venue's own spelling: "arxiv" -> "arXiv"), else :func:`short_venue` of the venue."""
    if label and label.strip():
        parsed = parse_venue_label(label)
        if parsed is None:
            return label.strip()
        return parsed.short + (f"{parsed.year % 100:02d}" if parsed.year else "")
    return short_venue(venue)
