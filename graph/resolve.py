"""Entity resolution: which records of a graph are versions of one work.

The registry merges records that share an identifier as they arrive. What is left are versions
that share none: an arXiv preprint and its journal version held by Semantic Scholar as two
records, a curated tutorial and two reference-list spellings of it. This stage finds them over
the whole graph, with the pairwise rule of :func:`identity.same_work`, in three steps:

1. blocking: only records sharing a first-author surname or the first words of their title,
   with years at most :data:`YEAR_WINDOW` apart, are compared (never all pairs);
2. scoring: :func:`identity.same_work` on each candidate pair;
3. grouping: accepted pairs join their groups, strongest evidence first, unless a member of one
   group vetoes a member of the other (a conflicting arXiv id or DOI, different authors, two
   entries of the curated list).

    >>> records = [
    ...     {"title": "Latent ODEs for irregularly-sampled time series", "year": 2019,
    ...      "authors": ["Yulia Rubanova", "Ricky TQ Chen", "David Duvenaud"],
    ...      "arxiv": "1907.03907"},
    ...     {"title": "Latent ordinary differential equations for irregularly-sampled time series",
    ...      "authors": ["Y. Rubanova", "R. T. Q. Chen", "D. K. Duvenaud"], "year": 2019,
    ...      "venue": "NeurIPS"},
    ...     {"title": "Deep learning", "authors": ["Y. LeCun", "Y. Bengio"], "year": 2015},
    ... ]
    >>> resolve_records(records)
    [[0, 1]]
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from .identity import (
    WorkProfile,
    _is_arxiv_doi,
    comparable_title,
    ids_conflict,
    same_work,
    work_profile,
)

# the widest gap in years between two versions of a work (a preprint and its journal version)
YEAR_WINDOW = 3
# how many leading title words form a title block
TITLE_BLOCK_WORDS = 3

# stronger evidence joins groups first, so a weak link cannot pre-empt a strong one
_STRENGTH = {"equal": 0, "typo": 1, "subtitle": 2, "close titles": 3, "retitled": 4,
             "reordered": 5}  # fmt: skip


def _block_keys(p: WorkProfile) -> Iterable[tuple[str, str]]:
    if p.first_surname:
        yield ("author", p.first_surname)
    if p.title:
        yield ("title", " ".join(p.title.split()[:TITLE_BLOCK_WORDS]))


def candidate_pairs(profiles: Sequence[WorkProfile]) -> set[tuple[int, int]]:
    """Index pairs (i < j) sharing a block and at most YEAR_WINDOW years apart.

    Inside a block, records are sorted by year and compared with the ones that follow within
    the window, so the cost grows with block size times window, not with the graph squared.
    """
    return set(map(tuple, candidate_array(profiles).tolist()))  # type: ignore[arg-type]


def candidate_array(profiles: Sequence[WorkProfile]) -> np.ndarray:
    """:func:`candidate_pairs` as an array of rows (i, j), i < j, each pair once, in order.

    Built with numpy over all blocks at once: a depth-2 graph has millions of candidate
    pairs, and a Python set of them costs seconds and hundreds of megabytes.
    """
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        if p.title:
            for key in _block_keys(p):
                blocks[key].append(i)
    shared = [members for members in blocks.values() if len(members) > 1]
    block = np.repeat(np.arange(len(shared)), [len(m) for m in shared])
    member = np.fromiter(itertools.chain.from_iterable(shared), np.int64, count=len(block))
    dated = np.array([p.year is not None for p in profiles], bool)
    years = np.array([p.year or 0 for p in profiles], np.int64)
    chunks = [_dated_pairs(block[dated[member]], member[dated[member]], years)]
    for members in shared:  # an undated record is compared with its whole block
        undated = [i for i in members if not dated[i]]
        if undated:
            grid = np.array([(i, j) for i in undated for j in members if i != j], np.int64)
            chunks.append(grid.reshape(-1, 2))
    pairs = np.concatenate(chunks)
    low, high = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    n = max(len(profiles), 1)
    codes = np.sort(low * n + high)  # (i, j) with i < j, as one number (np.unique: slower)
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))[: len(codes)]]
    return np.stack([codes // n, codes % n], axis=1)


def _dated_pairs(block: np.ndarray, member: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Pairs of dated members of one block at most YEAR_WINDOW years apart: sorted by
    (block, year), each member is paired with the run of members that follow it within
    the window (the key leaves a gap wider than the window between two blocks)."""
    if not len(member):
        return np.empty((0, 2), np.int64)
    year = years[member] - years[member].min()
    key = block * (int(year.max()) + YEAR_WINDOW + 1) + year
    order = np.argsort(key, kind="stable")
    key, member = key[order], member[order]
    counts = np.searchsorted(key, key + YEAR_WINDOW, side="right") - np.arange(len(key)) - 1
    first = np.repeat(np.arange(len(key)), counts)
    step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.stack([member[first], member[first + 1 + step]], axis=1)


def _vetoed(a: WorkProfile, b: WorkProfile) -> bool:
    """Whether two members of groups about to join say they are different works."""
    if ids_conflict(a.ids, b.ids):
        return True
    if a.entry and b.entry and a.entry != b.entry:
        return True  # two entries of the curated list are two works: the list says so
    if a.surnames and b.surnames:
        if a.first_surname != b.first_surname and len(a.surname_set & b.surname_set) < 2:
            return True
    return False


def _codes(values: Iterable[str | None]) -> np.ndarray:
    """One integer per value, equal for equal values; -1 for None."""
    seen: dict[str, int] = {}
    return np.array([-1 if v is None else seen.setdefault(v, len(seen)) for v in values], np.int64)


def _maybe_sharing_an_id(profiles: Sequence[WorkProfile]) -> np.ndarray:
    """Per profile, whether another profile has one of its identifiers (a few, at most)."""
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        for pair in p.id_pairs:
            holders[pair].append(i)
    sharing = np.zeros(len(profiles), bool)
    for group in holders.values():
        if len(group) > 1:
            sharing[group] = True
    return sharing


def _titles_may_match(
    profiles: Sequence[WorkProfile], left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Per pair, False only where identity._titles_relation is sure to say "different".

    Every other relation needs a ratio of 90 or more ("equal", "typo", "close"), a subtitle
    ("subtitle", "retitled"), one title starting the other, so the same first word
    ("extension"), or a token sort ratio of 85 or more ("reordered"); the bounds are taken a
    point lower, so a rounding never drops a pair that would match.
    """
    titles = [p.title for p in profiles]
    sorted_words = [" ".join(sorted(title.split())) for title in titles]
    first_word = _codes(p.title.split(" ", 1)[0] for p in profiles)
    has_main = np.array([p.main is not None for p in profiles], bool)
    maybe = has_main[left] | has_main[right] | (first_word[left] == first_word[right])
    # A ratio is 100 * (1 - d / (both lengths)), d the insertions and deletions turning one
    # text into the other, and d is at least the difference of their letter counts: titles
    # made of other letters (most candidate pairs) are told apart without scoring them.
    counts = _letter_counts(titles)
    differ = np.zeros(len(left), np.int64)
    for start in range(0, len(left), _SCORED_AT_ONCE):
        part = slice(start, start + _SCORED_AT_ONCE)
        gap = counts[left[part]] - counts[right[part]]
        differ[part] = np.abs(gap, out=gap).sum(axis=1)
    # the token sort ratio is the ratio of the titles' words sorted: sorted once per title
    for texts, bound in ((titles, 89), (sorted_words, 84)):
        length = np.array([len(text) for text in texts], np.int64)
        reachable = 100 * differ <= (100 - bound + 1) * (length[left] + length[right])
        rest = np.flatnonzero(~maybe & reachable)  # (scored only where still needed)
        for start in range(0, len(rest), _SCORED_AT_ONCE):
            some = rest[start : start + _SCORED_AT_ONCE]
            score = cpdist(
                _picked(texts, left[some]),
                _picked(texts, right[some]),
                scorer=fuzz.ratio,
                dtype=np.float64,
                workers=1,
            )
            maybe[some[score >= bound]] = True
    return maybe


def _letter_counts(texts: list[str]) -> np.ndarray:
    """Per text, how many times it has each character other than a space (a-z and 0-9 each
    counted apart, any other character in one count): a row per text, int16."""
    table = np.full(256, 36, np.int64)
    table[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", np.uint8)] = np.arange(36)
    table[ord(" ")] = 37
    data = np.frombuffer("".join(texts).encode("ascii", "replace"), np.uint8)
    row = np.repeat(np.arange(len(texts)), [len(text) for text in texts])
    counts = np.bincount(row * 38 + table[data], minlength=len(texts) * 38)
    return counts.reshape(len(texts), 38)[:, :37].astype(np.int16)


def _picked(texts: list[str], rows: np.ndarray) -> list[str]:
    """``[texts[i] for i in rows]`` in one C call."""
    if len(rows) == 1:
        return [texts[int(rows[0])]]
    return list(operator.itemgetter(*rows.tolist())(texts)) if len(rows) else []


# pairs scored by one rapidfuzz call: it copies every text it is given (memory, not time)
_SCORED_AT_ONCE = 200_000


def worth_comparing(
    profiles: Sequence[WorkProfile], pairs: Iterable[tuple[int, int]] | np.ndarray
) -> list[tuple[int, int]]:
    """The candidate pairs :func:`identity.same_work` may accept; the others are told apart in
    bulk (a depth-2 graph has millions of candidate pairs, most with unrelated titles or
    conflicting arXiv ids or DOIs, and same_work costs microseconds a pair).

    A pair is dropped only when same_work would refuse it: it shares no identifier (else
    same_work accepts it first) and its arXiv ids or publisher DOIs conflict, or its titles
    cannot match (:func:`_titles_may_match`).
    """
    if isinstance(pairs, np.ndarray):
        both = pairs.reshape(-1, 2)
    else:
        both = np.fromiter(itertools.chain.from_iterable(pairs), np.int64).reshape(-1, 2)
    left, right = both[:, 0], both[:, 1]
    arxiv = _codes(p.ids.get("arxiv") for p in profiles)
    doi = _codes(
        None if _is_arxiv_doi(p.ids.get("doi") or "10.48550/") else p.ids["doi"] for p in profiles
    )
    conflict = (arxiv[left] >= 0) & (arxiv[right] >= 0) & (arxiv[left] != arxiv[right])
    conflict |= (doi[left] >= 0) & (doi[right] >= 0) & (doi[left] != doi[right])
    keep = ~conflict
    keep[keep] = _titles_may_match(profiles, left[keep], right[keep])
    sharing = _maybe_sharing_an_id(profiles)
    keep |= sharing[left] & sharing[right]
    return list(zip(left[keep].tolist(), right[keep].tolist(), strict=True))


def resolve_profiles(profiles: Sequence[WorkProfile]) -> list[list[int]]:
    """Groups (lists of indices, each of two or more, sorted) that are one work."""
    accepted: list[tuple[int, int, int]] = []
    for i, j in worth_comparing(profiles, candidate_array(profiles)):
        verdict = same_work(profiles[i], profiles[j])
        if verdict:
            accepted.append((_STRENGTH.get(verdict.reason, 5), i, j))
    parent = list(range(len(profiles)))
    members: dict[int, list[int]] = {}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in sorted(accepted):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        gi, gj = members.get(ri, [ri]), members.get(rj, [rj])
        if any(_vetoed(profiles[x], profiles[y]) for x in gi for y in gj):
            continue
        keep, gone = min(ri, rj), max(ri, rj)
        parent[gone] = keep
        members[keep] = sorted(gi + gj)
        members.pop(gone, None)
    return sorted(group for group in members.values() if len(group) > 1)


def resolve_records(records: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """:func:`resolve_profiles` of plain records (node attributes)."""
    return resolve_profiles([work_profile(r) for r in records])


def work_representatives(G: nx.DiGraph) -> dict[Any, Any]:
    """Node -> the node standing for its work, for a graph not resolved when it was built.

    A graph built by the registry is resolved already (``G.graph["works_resolved"]``): every
    node is its own work. A graph made by hand or by an older version is resolved here; the
    representative is the first node of each group in the order :func:`_version_rank` gives.
    """
    reps = {n: n for n in G.nodes}
    if G.graph.get("works_resolved"):
        return reps
    nodes = [n for n, d in G.nodes(data=True) if d.get("title")]
    for group in resolve_records([G.nodes[n] for n in nodes]):
        keys = sorted((nodes[i] for i in group), key=lambda n: _version_rank(n, G.nodes[n]))
        for node in keys:
            reps[node] = keys[0]
    return reps


def _version_rank(node: Any, attrs: Mapping[str, Any]) -> tuple[Any, ...]:
    """Venue versions before preprints, then with a DOI, then the most cited, then by key."""
    preprint = work_profile(attrs).preprint or not (attrs.get("venue") or attrs.get("venue_label"))
    return (
        1 if preprint else 0,
        0 if attrs.get("doi") else 1,
        -(attrs.get("citation_count") or 0),
        str(node),
    )


# --- one node from several versions -----------------------------------------------------------

# sources whose records carry a venue's full metadata (volume, pages, DOI)
_API_SOURCES = frozenset({"semantic-scholar", "openalex"})

# bibliographic fields a work takes from its venue version
VENUE_FIELDS = ("title", "venue", "year", "volume", "pages")


def version_kind(record: Mapping[str, Any], profile: WorkProfile | None = None) -> str:
    """ "preprint" (arXiv), "venue" (a conference, journal, publisher…) or "reference" (a
    record that says neither, e.g. a title from somebody's reference list)."""
    if (profile or work_profile(record)).preprint:
        return "preprint"
    if record.get("venue") or record.get("venue_label"):
        return "venue"
    return "reference"


_KIND_ORDER = {"venue": 0, "reference": 1, "preprint": 2}


def versions_of(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The distinct versions among the records of one work, venue versions first.

    Records of one kind that share an identifier, or have the same title (up to typos) and
    venue, are one version. A curated record is the list's description of the work, not a
    version. Each version keeps its kind, title, year, venue, identifiers and sources.
    """
    versions: list[dict[str, Any]] = []
    profiles: list[WorkProfile] = []
    for rec in records:
        if "curated" in (rec.get("sources") or []):
            continue
        profile = work_profile(rec)
        kind = version_kind(rec, profile)
        fields: dict[str, Any] = {
            "kind": kind,
            "title": rec.get("title"),
            "year": rec.get("year"),
            "venue": rec.get("venue"),
            **{f: v for f, v in profile.ids.items() if f in ("arxiv", "doi", "s2_id", "corpus_id")},
            "sources": sorted(rec.get("sources") or []),
        }
        for version, seen in zip(versions, profiles, strict=True):
            if version["kind"] == kind and _one_version(seen, profile):
                for name, value in fields.items():
                    if name == "sources":
                        version["sources"] = sorted(set(version["sources"]) | set(value))
                    elif version.get(name) in (None, "") and value not in (None, ""):
                        version[name] = value
                break
        else:
            versions.append(fields)
            profiles.append(profile)
    clean = [{k: v for k, v in ver.items() if v not in (None, "", [])} for ver in versions]
    return sorted(clean, key=lambda v: _KIND_ORDER[v["kind"]])


def _one_version(a: WorkProfile, b: WorkProfile) -> bool:
    if any(a.ids.get(f) == v for f, v in b.ids.items()):
        return True
    if a.venue and b.venue and a.venue != b.venue:
        return False
    return same_work(a, b).reason in ("equal", "typo")


def venue_version_fields(
    records: Sequence[Mapping[str, Any]], merged: Mapping[str, Any]
) -> dict[str, Any]:
    """The fields a merged work takes from its best venue version (title, venue, year, volume,
    pages, a publisher DOI), so that its BibTeX entry cites the published work.

    Fields a curated record sets are kept: the list is the user's own word. Nothing changes when
    no record is a venue version.
    """
    profiles = [work_profile(r) for r in records]
    venue_records = [
        (r, p) for r, p in zip(records, profiles, strict=True)
        if r.get("title") and version_kind(r, p) == "venue"
    ]  # fmt: skip
    if not venue_records:
        return {}
    venues = {comparable_title(r.get("venue")) for r in records} - {""}
    best, best_profile = min(venue_records, key=lambda rp: _venue_record_rank(rp[0], rp[1], venues))
    curated = [r for r in records if "curated" in (r.get("sources") or [])]
    out: dict[str, Any] = {}
    for name in VENUE_FIELDS:
        if any(r.get(name) not in (None, "") for r in curated):
            continue
        if best.get(name) not in (None, "") and best.get(name) != merged.get(name):
            out[name] = best[name]
    dois = [p.ids.get("doi") for p in (best_profile, *profiles)]
    publisher = [d for d in dois if d and not d.startswith("10.48550/")]
    if publisher and publisher[0] != merged.get("doi"):
        out["doi"] = publisher[0]
    return out


def _venue_record_rank(
    rec: Mapping[str, Any], profile: WorkProfile, venues: set[str]
) -> tuple[Any, ...]:
    """Semantic Scholar's and OpenAlex's records first (fullest metadata), then with a DOI,
    then the most complete and best identified, then a title not padded with its venue
    ("Convex Analysis Princeton University Press"), then the longest title (a subtitle is part
    of the title)."""
    sources = rec.get("sources") or []
    padded = any(profile.title.endswith(" " + venue) for venue in venues)
    return (
        0 if _API_SOURCES & set(sources) else 1,
        0 if rec.get("doi") else 1,
        -sum(1 for name in VENUE_FIELDS if rec.get(name) not in (None, "")) - len(profile.ids),
        padded,
        -len(str(rec.get("title") or "")),
    )
