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


# lower-case alias -> venue
VENUES: dict[str, Venue] = {}


def _add(aliases: tuple[str, ...], short: str, full: str | None, kind: str) -> None:
    for alias in aliases:
        VENUES[alias] = Venue(short, full, kind)


_add(
    ("neurips", "nips"),
    "NeurIPS",
    "Advances in Neural Information Processing Systems",
    "conference",
)
_add(("icml",), "ICML", "International Conference on Machine Learning", "conference")
_add(("iclr",), "ICLR", "International Conference on Learning Representations", "conference")
_add(
    ("aistats",),
    "AISTATS",
    "International Conference on Artificial Intelligence and Statistics",
    "conference",
)
_add(("aaai",), "AAAI", "AAAI Conference on Artificial Intelligence", "conference")
_add(("ijcai",), "IJCAI", "International Joint Conference on Artificial Intelligence", "conference")
_add(("uai",), "UAI", "Conference on Uncertainty in Artificial Intelligence", "conference")
_add(("colt",), "COLT", "Conference on Learning Theory", "conference")
_add(
    ("cvpr",),
    "CVPR",
    "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
    "conference",
)
_add(("iccv",), "ICCV", "IEEE/CVF International Conference on Computer Vision", "conference")
_add(("eccv",), "ECCV", "European Conference on Computer Vision", "conference")
_add(("l4dc",), "L4DC", "Learning for Dynamics and Control Conference", "conference")
_add(("corl",), "CoRL", "Conference on Robot Learning", "conference")
_add(("kdd",), "KDD", "ACM SIGKDD Conference on Knowledge Discovery and Data Mining", "conference")
_add(("jmlr",), "JMLR", "Journal of Machine Learning Research", "journal")
_add(("tmlr",), "TMLR", "Transactions on Machine Learning Research", "journal")
_add(
    ("popl",), "POPL", "ACM SIGPLAN Symposium on Principles of Programming Languages", "conference"
)
_add(("juliacon",), "JuliaCon", "JuliaCon", "talk")
_add(("arxiv", "preprint"), "arXiv", None, "preprint")


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
