"""Acronyms a corpus defines by use: "ODE" means "ordinary differential equation" here.

A title saying "Neural ODEs" and one saying "Neural Ordinary Differential Equations" share
one word for TF-IDF; so do "MPC" and "model predictive control". No table is written by
hand (it would only know one field): the acronyms and their expansions are learned from
the graph's own titles and abstracts, so they follow whatever field a user builds.

- An **acronym** is a word of 2-6 capital letters, with an optional plural "s" ("ODEs",
  "QP", "PINNs"), written so in at least one title that is not in capitals throughout.
- Its **expansion** is the most frequent run of consecutive content words (stop words
  skipped, as :func:`~.signals.tokenize` does: "method of multipliers" is two words) whose
  initials spell it, and that run must occur at least :data:`MIN_EXPANSION_RUNS` times in the
  corpus (a run seen once is as likely an accident of initials as a definition), and make
  up at least :data:`MIN_EXPANSION_SHARE` of all the runs spelling the acronym: two letters
  are spelled by many word pairs, and when no reading dominates ("EM": "energy model" 15
  times, "equilibrium model" 6, 26 others) the corpus does not say which one the title meant.

:func:`~.signals.build_text_index` then indexes each expansion as its acronym (docs/related.md).

    >>> table = learn_acronyms(
    ...     ["Neural ODEs", "Neural ordinary differential equations", "Stiff ODE solvers"],
    ...     [["neural", "ode"], ["neural", "ordinary", "differential", "equation"],
    ...      ["stiff", "ode", "solver"], ["solver", "ordinary", "differential", "equation"]],
    ... )
    >>> table
    {'ode': ('ordinary', 'differential', 'equation')}
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

__all__ = [
    "MIN_EXPANSION_RUNS",
    "MIN_EXPANSION_SHARE",
    "acronym_candidates",
    "learn_acronyms",
    "spellings",
]

MIN_EXPANSION_RUNS = 2
"""A run of words must occur this many times in the corpus to count as an acronym's expansion."""
MIN_EXPANSION_SHARE = 1 / 3
"""...and be at least this share of all the runs whose initials spell the acronym."""

_CAPITALS = re.compile(r"\b([A-Z]{2,6})s?\b")
_LETTERS = re.compile(r"[A-Za-z]{2,}")  # "A" and "I" are capitals in any title


def _shouting(title: str) -> bool:
    """A title in capitals throughout says nothing about which of its words are acronyms."""
    words = _LETTERS.findall(title)
    return bool(words) and sum(w.isupper() for w in words) > len(words) / 2


def acronym_candidates(titles: Iterable[str | None]) -> set[str]:
    """The lower-cased words some title writes in capitals (2-6 letters, plural "s" dropped).

    >>> sorted(acronym_candidates(["Neural ODEs", "A QP layer", "DEEP NETS FOR ALL"]))
    ['ode', 'qp']
    """
    found: set[str] = set()
    for title in titles:
        capitals = _CAPITALS.findall(title) if title else None
        if capitals and not _shouting(title or ""):
            found.update(m.lower() for m in capitals)
    return found


def spellings(
    documents: Sequence[Sequence[str]], acronyms: Iterable[str]
) -> Iterator[tuple[int, int, str]]:
    """(document, word position, acronym) wherever consecutive words' initials spell one of
    `acronyms` (lower case; words must not be empty).

    The initials of the whole corpus are one string scanned by one regex per length, so the
    scan runs in C and Python only sees the (few) places where initials spell an acronym.

    >>> list(spellings([["neural", "ordinary", "differential", "equation"]], ["ode", "ne"]))
    [(0, 1, 'ode')]
    """
    by_length: dict[int, list[str]] = {}
    for acronym in sorted(set(acronyms)):
        by_length.setdefault(len(acronym), []).append(acronym)
    if not by_length:
        return
    flat: list[str] = []
    starts: list[int] = []
    for words in documents:
        starts.append(len(flat))
        flat.extend(words)
        flat.append(" ")  # no acronym spans two documents
    initials = "".join(map(itemgetter(0), flat))
    for found in by_length.values():
        for m in re.finditer("(?=(" + "|".join(found) + "))", initials):
            at = m.start()
            doc = bisect_right(starts, at) - 1
            yield doc, at - starts[doc], m.group(1)


def learn_acronyms(
    titles: Iterable[str | None],
    documents: Iterable[Sequence[str]],
    *,
    min_runs: int = MIN_EXPANSION_RUNS,
    min_share: float = MIN_EXPANSION_SHARE,
) -> dict[str, tuple[str, ...]]:
    """Acronym (lower case, singular) -> its expansion's words, learned from the corpus.

    `titles` are the raw titles (their capitals mark the acronyms); `documents` are each
    paper's content words as :func:`~.signals.tokenize` stems them (lower case, plural "s"
    dropped, stop words removed), in order. Ties between runs go to the alphabetically first.
    """
    wanted = acronym_candidates(titles)
    documents = documents if isinstance(documents, Sequence) else list(documents)
    runs: dict[str, Counter[tuple[str, ...]]] = {}
    for doc, at, spelled in spellings(documents, wanted):
        run = tuple(documents[doc][at : at + len(spelled)])
        if spelled not in run:  # "ode ..." spelling "ode" defines nothing
            runs.setdefault(spelled, Counter())[run] += 1
    table: dict[str, tuple[str, ...]] = {}
    for acronym, counts in runs.items():
        run, seen = min(counts.items(), key=lambda rs: (-rs[1], rs[0]))
        if seen >= min_runs and seen >= min_share * sum(counts.values()):
            table[acronym] = run
    return dict(sorted(table.items()))
