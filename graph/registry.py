"""Merging paper records from several sources into one graph, by identity.

Every source (the curated list, the bundled field sample, Semantic Scholar) adds *records* —
dicts using the node attribute names of graph/schema.py — and edges between them. The registry
decides which records are the same paper (see graph/identity.py), keeps every identifier and the
richest metadata, remembers which sources contributed, and finally emits a networkx DiGraph.
Records that share an identifier merge as they arrive; versions of one work that share none
(a preprint and its journal version, a retitled paper) are found by the resolution stage of
graph/resolve.py when the graph is emitted, so every view sees one node per work.

    >>> reg = PaperRegistry()
    >>> a = reg.add_paper({"title": "Deep Equilibrium Models", "arxiv": "1909.01377"}, "curated")
    >>> b = reg.add_paper({"title": "Deep equilibrium models", "doi": "10.5555/x",
    ...                    "arxiv": "https://arxiv.org/abs/1909.01377v2"}, "semantic-scholar")
    >>> reg.same(a, b)
    True
    >>> sorted(reg.to_graph().nodes["arXiv:1909.01377"]["sources"])
    ['curated', 'semantic-scholar']
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import numpy as np

from .authors import AuthorNames
from .identity import (
    identifiers,
    node_key_from_ids,
    normalize_title,
    titles_compatible,
    work_profile,
)
from .resolve import resolve_profiles, venue_version_fields, versions_of
from .schema import EDGE_CITES, SOURCE_CURATED, SOURCE_FIELD_SAMPLE, SOURCE_S2
from .titles import TitleCasing

if TYPE_CHECKING:
    from .store import EdgeGroups

# lower wins when two sources disagree on a scalar field
SOURCE_PRIORITY = {SOURCE_CURATED: 0, SOURCE_S2: 1, SOURCE_FIELD_SAMPLE: 2}

# fields only the curated list may set
CURATED_FIELDS = ("curated", "curated_key", "section", "venue_label", "note")
_INTERNAL = ("_rank", "_fallback_key", "_ids")


def _ids(rec: dict[str, Any]) -> dict[str, str]:
    """The record's normalised identifiers, computed once and kept on the record."""
    ids = rec.get("_ids")
    if ids is None:
        ids = rec["_ids"] = identifiers(rec)
    return ids


def _rank(source: str) -> int:
    return SOURCE_PRIORITY.get(source, 5)


def _richer_authors(a: list[str] | None, b: list[str] | None) -> list[str] | None:
    """The more complete author list; `a` (the higher-priority one) wins ties."""
    if not a:
        return b
    if not b:
        return a
    a_truncated = any(x.strip().lower() in ("et al.", "et al", "others") for x in a)
    if len(b) > len(a) or (a_truncated and len(b) >= len(a)):
        return b
    return a


def _newer_count(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[Any, Any]:
    """The citation count with the latest as-of date (an undated count loses to a dated one)."""
    ca, cb = a.get("citation_count"), b.get("citation_count")
    if cb is None:
        return ca, a.get("citation_count_as_of")
    if ca is None:
        return cb, b.get("citation_count_as_of")
    da, db = a.get("citation_count_as_of") or "", b.get("citation_count_as_of") or ""
    if db > da:
        return cb, b.get("citation_count_as_of")
    return ca, a.get("citation_count_as_of")


def merge_records(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """One record holding every identifier and the richest metadata of two records of one paper."""
    hi, lo = (first, second) if first.get("_rank", 5) <= second.get("_rank", 5) else (second, first)
    merged: dict[str, Any] = dict(lo)
    for field, value in hi.items():
        if value is not None and value != [] and value != "":
            merged[field] = value
    merged["authors"] = _richer_authors(hi.get("authors"), lo.get("authors"))
    count, as_of = _newer_count(hi, lo)
    merged["citation_count"], merged["citation_count_as_of"] = count, as_of
    merged["sources"] = sorted(set(first.get("sources", [])) | set(second.get("sources", [])))
    merged["curated"] = bool(first.get("curated") or second.get("curated"))
    merged["citations_truncated"] = bool(
        first.get("citations_truncated") or second.get("citations_truncated")
    )
    merged["_rank"] = min(first.get("_rank", 5), second.get("_rank", 5))
    merged.pop("_ids", None)  # recomputed from the merged fields on demand
    fallbacks = [r.get("_fallback_key") for r in (hi, lo) if r.get("_fallback_key")]
    merged["_fallback_key"] = fallbacks[0] if fallbacks else None
    return merged


Provenance = tuple[str, Any, Any]
"""One source's word on an edge: (source, evidence, scope), a hashable provenance dict."""


class EdgeFacts(NamedTuple):
    """What the registry knows of one edge. Immutable, so the hundreds of thousands of equal
    ones (every depth-2 citation from Semantic Scholar) share one object: a merge of a depth-2
    world holds a key per edge, not a dict and four lists."""

    provenance: tuple[Provenance, ...]
    is_influential: bool | None
    intents: tuple[Any, ...]
    contexts: tuple[Any, ...]


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    """`items` without repeats, in order (compared by equality: items may be unhashable)."""
    kept: list[Any] = []
    for item in items:
        if item not in kept:
            kept.append(item)
    return tuple(kept)


def _merged_facts(old: EdgeFacts, new: EdgeFacts) -> EdgeFacts:
    """Both sources' facts on one edge: every provenance, intent and context once, in the
    order they came; influential if either says so."""
    influential = old.is_influential
    if new.is_influential is not None:
        influential = bool(old.is_influential) or bool(new.is_influential)
    return EdgeFacts(
        _unique(old.provenance + new.provenance),
        influential,
        _unique(old.intents + new.intents),
        _unique(old.contexts + new.contexts),
    )


class PaperRegistry:
    """Accumulates records and edges from sources; `to_graph()` emits the merged DiGraph."""

    def __init__(self) -> None:
        self._records: list[dict[str, Any]] = []
        self._parent: list[int] = []
        self._by_id: dict[tuple[str, str], int] = {}
        self._by_title: dict[str, list[int]] = {}
        # every edge as it was added, one row of four columns (citing, cited, kind, facts):
        # a million edges are four arrays of integers, merged in bulk by to_graph
        self._edge_citing = array("q")
        self._edge_cited = array("q")
        self._edge_kind = array("q")
        self._edge_facts = array("q")
        self._kinds: dict[str, int] = {}
        self._facts: list[EdgeFacts] = []  # by facts number
        self._facts_number: dict[int, int] = {}  # id of a facts object -> its number
        self._shared_facts: dict[EdgeFacts, EdgeFacts] = {}  # equal facts, one object
        self._plain: dict[tuple[Provenance, bool | None], EdgeFacts] = {}
        # each record as its source gave it: the versions of a merged work
        self._originals: list[tuple[int, dict[str, Any]]] = []
        self.edge_groups: EdgeGroups | None = None
        """How :meth:`to_graph` made the edges of the graph it returned last (for its store)."""

    # ----- papers
    def __len__(self) -> int:
        return sum(1 for h in range(len(self._parent)) if self._parent[h] == h)

    def root(self, handle: int) -> int:
        """The handle that now stands for `handle` (records merge over time)."""
        while self._parent[handle] != handle:
            self._parent[handle] = self._parent[self._parent[handle]]
            handle = self._parent[handle]
        return handle

    def same(self, a: int, b: int) -> bool:
        return self.root(a) == self.root(b)

    def record(self, handle: int) -> dict[str, Any]:
        """The merged record for `handle` (read-only view: do not mutate)."""
        return self._records[self.root(handle)]

    def find(self, record: Mapping[str, Any]) -> int | None:
        """The handle of the paper `record` describes, if the registry already holds it."""
        for field, value in identifiers(record).items():
            h = self._by_id.get((field, value))
            if h is not None:
                return self.root(h)
        return self._find_by_title(record)

    def _find_by_title(self, record: Mapping[str, Any], title: str | None = "") -> int | None:
        """The paper whose title is `record`'s (`title`: its normalize_title, if known)."""
        title = normalize_title(record.get("title")) if title == "" else title
        if title:
            for h in self._by_title.get(title, []):
                r = self.root(h)
                if titles_compatible(self._records[r], record):
                    return r
        return None

    def find_id(self, field: str, value: str) -> int | None:
        """The handle holding a normalised identifier, e.g. ("arxiv", "1806.07366")."""
        h = self._by_id.get((field, value))
        return None if h is None else self.root(h)

    def add_paper(
        self, record: Mapping[str, Any], source: str, *, fallback_key: str | None = None
    ) -> int:
        """Add a record from `source`; merge it with the paper it is, if already known.

        `fallback_key` is the node key to use when the merged paper has no identifier
        (the field sample's own ids, e.g. ``title:deep learning [lecun 2015]``).
        """
        rec: dict[str, Any] = {k: v for k, v in record.items() if v is not None}
        rec.pop("_ids", None)
        ids = _ids(rec)
        title = normalize_title(rec.get("title"))
        if not ids and not title and not fallback_key:
            raise ValueError(f"record from {source} has neither an identifier nor a title")
        if source != SOURCE_CURATED:
            for field in CURATED_FIELDS:
                rec.pop(field, None)
        given = rec.get("sources")
        rec["sources"] = sorted(set(given) | {source}) if given else [source]
        rec["_rank"] = _rank(source)
        rec["_fallback_key"] = fallback_key
        handle = len(self._records)
        self._records.append(rec)
        original = rec.copy()  # (the record but its internal fields, in the same order)
        for field in _INTERNAL:
            original.pop(field, None)
        self._originals.append((handle, original))
        self._parent.append(handle)

        # each identifier looked up and indexed at once (a new one now stands for `handle`)
        matches: list[int] = []
        for field_value in ids.items():
            h = self._by_id.setdefault(field_value, handle)
            if h != handle and self.root(h) not in matches:
                matches.append(self.root(h))
        if not matches:
            existing = self._find_by_title(rec, title)
            if existing is not None:
                matches.append(existing)
        if title:
            self._by_title.setdefault(title, []).append(handle)
        for other in matches:
            handle = self._union(other, handle)
        return handle

    def _index(self, handle: int, rec: dict[str, Any]) -> None:
        for field, value in _ids(rec).items():
            self._by_id.setdefault((field, value), handle)
        title = normalize_title(rec.get("title"))
        if title:
            self._by_title.setdefault(title, []).append(handle)

    def _union(self, a: int, b: int) -> int:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return ra
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self._records[keep] = merge_records(self._records[keep], self._records[gone])
        self._parent[gone] = keep
        self._index(keep, self._records[keep])
        return keep

    def update(self, handle: int, fields: Mapping[str, Any], source: str) -> int:
        """Merge more facts about a known paper (e.g. S2 metadata for a curated entry)."""
        rec = dict(fields)
        rec["sources"] = [source]
        rec["_rank"] = _rank(source)
        root = self.root(handle)
        if rec.get("title") or rec.get("authors"):  # a record of the work, not a flag
            self._originals.append(
                (root, {k: v for k, v in rec.items() if v is not None and k not in _INTERNAL})
            )
        self._records[root] = merge_records(self._records[root], rec)
        self._index(root, self._records[root])
        # the new identifiers may reveal that two known records are one paper
        for field, value in _ids(self._records[root]).items():
            h = self._by_id.get((field, value))
            if h is not None and self.root(h) != root:
                root = self._union(root, h)
        return root

    # ----- edges
    def add_edge(
        self,
        citing: int,
        cited: int,
        *,
        kind: str = EDGE_CITES,
        provenance: Mapping[str, Any],
        is_influential: bool | None = None,
        intents: Iterable[str] | None = None,
        contexts: Iterable[str] | None = None,
    ) -> None:
        """Record `citing -> cited` (or software -> paper for kind "implements") with provenance."""
        prov = (provenance["source"], provenance.get("evidence"), provenance.get("scope"))
        influential = None if is_influential is None else bool(is_influential)
        if not intents and not contexts:  # most edges: their facts are made once, shared
            new = self._plain_facts(prov, influential)
        else:
            new = self._shared(
                EdgeFacts((prov,), influential, _unique(intents or ()), _unique(contexts or ()))
            )
        self._log_edges([citing], [cited], kind, new)

    def add_edges(
        self,
        citing: int,
        cited: Sequence[int],
        *,
        kind: str = EDGE_CITES,
        provenance: Mapping[str, Any],
    ) -> None:
        """:meth:`add_edge` from `citing` to each of `cited`, all with one provenance and no
        flag, intents or contexts (a reference list from a batch reply): one call for the
        list, not one per edge."""
        prov = (provenance["source"], provenance.get("evidence"), provenance.get("scope"))
        self._log_edges([citing] * len(cited), cited, kind, self._plain_facts(prov, None))

    def _log_edges(
        self, citing: Sequence[int], cited: Sequence[int], kind: str, facts: EdgeFacts
    ) -> None:
        number = self._number_of(facts)
        kind_number = self._kinds.setdefault(kind, len(self._kinds))
        self._edge_citing.extend(citing)
        self._edge_cited.extend(cited)
        self._edge_kind.extend([kind_number] * len(cited))
        self._edge_facts.extend([number] * len(cited))

    def _plain_facts(self, prov: Provenance, influential: bool | None) -> EdgeFacts:
        """The facts of an edge with one provenance and no intents or contexts (shared)."""
        try:
            facts = self._plain.get((prov, influential))
        except TypeError:  # an unhashable evidence or scope
            return EdgeFacts((prov,), influential, (), ())
        if facts is None:
            facts = EdgeFacts((prov,), influential, (), ())
            facts = self._plain[prov, influential] = self._shared(facts)
        return facts

    def _shared(self, facts: EdgeFacts) -> EdgeFacts:
        """The one object standing for facts equal to `facts` (an unhashable intent or
        context, which no source sends today, keeps its own)."""
        try:
            return self._shared_facts.setdefault(facts, facts)
        except TypeError:
            return facts

    def edge_count(self) -> int:
        """How many distinct (citing, cited, kind) edges were added."""
        return len(np.unique(self._edge_codes()))

    def _edge_codes(self) -> np.ndarray:
        """One integer per added edge, equal for equal (citing handle, cited handle, kind)."""
        handles, kinds = max(len(self._parent), 1), max(len(self._kinds), 1)
        citing, cited, kind = (
            np.frombuffer(column, np.int64) if len(column) else np.zeros(0, np.int64)
            for column in (self._edge_citing, self._edge_cited, self._edge_kind)
        )
        return (citing * handles + cited) * kinds + kind

    # ----- resolution
    def resolve_works(self) -> int:
        """Merge the versions of one work that share no identifier (see graph/resolve.py);
        return how many records joined another."""
        roots = [h for h in range(len(self._parent)) if self._parent[h] == h]
        profiles = [work_profile(self._records[h], _ids(self._records[h])) for h in roots]
        joined = 0
        for group in resolve_profiles(profiles):
            keep = roots[group[0]]
            for i in group[1:]:  # (two entries of the curated list never share a group)
                keep = self._union(keep, roots[i])
                joined += 1
        return joined

    def _members(self) -> dict[int, list[dict[str, Any]]]:
        """Root handle -> the original records merged into it."""
        members: dict[int, list[dict[str, Any]]] = {}
        for h, original in self._originals:
            members.setdefault(self.root(h), []).append(original)
        return members

    def _citing_works(self, roots: list[int]) -> CitingWorks:
        """Root handle -> the roots whose reference lists cite it (co-citation for names);
        `roots`: :meth:`_roots`."""
        cites = self._kinds.get(EDGE_CITES)
        root = np.array(roots, np.int64)
        kind = np.frombuffer(self._edge_kind, np.int64) if len(self._edge_kind) else None
        if cites is None or kind is None:
            return CitingWorks(np.zeros(0, np.int64), np.zeros(0, np.int64))
        chosen = kind == cites
        return CitingWorks(
            root[np.frombuffer(self._edge_cited, np.int64)[chosen]],
            root[np.frombuffer(self._edge_citing, np.int64)[chosen]],
        )

    def _roots(self) -> list[int]:
        """The root of every handle, by handle: one list lookup per edge end, not a walk."""
        return [self.root(h) for h in range(len(self._parent))]

    # ----- output
    def node_keys(self) -> dict[int, str]:
        """Root handle -> node key, unique and deterministic."""
        keys: dict[int, str] = {}
        taken: dict[str, int] = {}
        roots = [h for h in range(len(self._parent)) if self._parent[h] == h]
        for h in roots:
            rec = self._records[h]
            key = node_key_from_ids(_ids(rec), rec.get("title"), rec.get("_fallback_key"))
            if key in taken:
                n = 2
                while f"{key} [{n}]" in taken:
                    n += 1
                key = f"{key} [{n}]"
            taken[key] = h
            keys[h] = key
        return keys

    def to_graph(self, *, resolve: bool = True) -> nx.DiGraph:
        """The merged graph, one node per work: nodes and edges sorted by key so equal inputs
        give equal files. Resolves the works first (:meth:`resolve_works`) and writes every
        author in the fullest form the records know (graph/authors.py); `resolve=False`
        merges by identifiers only and keeps the names as given (a baseline for benches)."""
        if resolve:
            self.resolve_works()
        keys = self.node_keys()
        roots = self._roots()  # (after resolving: the roots stay as they are from here)
        members = self._members() if resolve else {}
        versions = {root: recs for root, recs in members.items() if len(recs) > 1}
        names = AuthorNames(
            (
                (root, rec["authors"])
                for root, recs in members.items()
                for rec in recs
                if rec.get("authors")
            ),
            citing=self._citing_works(roots) if resolve else None,
        )
        casing = TitleCasing(rec.get("title") for recs in members.values() for rec in recs)
        G = nx.DiGraph()
        G.graph["works_resolved"] = resolve
        for h, key in sorted(keys.items(), key=lambda kv: kv[1]):
            rec = self._records[h]
            ids = _ids(rec)
            if h in versions:
                venue_fields = venue_version_fields(versions[h], rec)
                rec = {**rec, **venue_fields}
                if "doi" in venue_fields:
                    ids = {**ids, "doi": venue_fields["doi"]}
            attrs = {
                k: v
                for k, v in rec.items()
                if k not in _INTERNAL and k != "repo" and v is not None and v != ""
            }
            for field in ("arxiv", "doi", "s2_id"):
                if field in ids:
                    attrs[field] = ids[field]
            attrs.setdefault("type", "paper")
            authors = attrs.get("authors") or []
            attrs["authors"] = names.best_list(h, authors) if resolve else authors
            if resolve and attrs.get("title") and attrs["type"] != "software":
                spellings = (r.get("title") for r in members.get(h, ()))
                attrs["title"] = casing.title_of(str(attrs["title"]), spellings)
            found = versions_of(versions[h]) if h in versions else []
            if len(found) > 1:
                attrs["versions"] = found
            attrs["curated"] = bool(rec.get("curated"))
            G.add_node(key, **attrs)
        self._add_edges(G, keys, roots)
        return G

    def _add_edges(self, G: nx.DiGraph, keys: dict[int, str], roots: list[int]) -> None:
        """Every edge between the nodes of `G` (already added, in key order), sorted by
        (citing, cited, kind); edges of merged records merge, a software->paper link beside
        a citation gives way to the citation. Edges with equal facts share their provenance,
        sources, intents and contexts lists: treat them as read-only, as a loaded store's
        are (a depth-2 graph would otherwise hold a million copies)."""
        from .store import EdgeGroups, fill_adjacency

        node_keys = sorted(keys.values())
        by_root = {h: i for i, h in enumerate(sorted(keys, key=keys.__getitem__))}
        position = np.array([by_root[root] for root in roots], np.int64)
        code, facts = self._merged_edges(position, len(node_keys))
        kinds = sorted(self._kinds)
        n_kinds = max(len(kinds), 1)
        pair = code // n_kinds
        first = np.r_[True, pair[1:] != pair[:-1]] if len(pair) else np.zeros(0, bool)
        code, facts, pair = code[first], facts[first], pair[first]  # (kinds sort: cites first)
        kind = code - pair * n_kinds
        # one attribute dict per distinct (facts, kind), copied for each of its edges
        template_code = facts * n_kinds + kind
        unique = np.flatnonzero(np.bincount(template_code)) if len(code) else template_code
        which = np.zeros(int(unique.max()) + 1 if len(unique) else 0, np.int64)
        which[unique] = np.arange(len(unique))
        which = which[template_code]
        templates = np.empty(len(unique), dtype=object)
        for t, number in enumerate(unique.tolist()):
            f, k = divmod(number, n_kinds)
            templates[t] = _edge_attributes(kinds[k], self._facts[f])
        data = np.empty(len(which), dtype=object)  # (an array: fill_adjacency reorders it)
        data[:] = list(map(dict.copy, templates[which].tolist()))
        citing, cited = np.divmod(pair, max(len(node_keys), 1))
        fill_adjacency(G, node_keys, citing, cited, data)
        self.edge_groups = EdgeGroups(data, which, citing)  # (adjacency order: sorted as added)

    def _merged_edges(self, position: np.ndarray, nodes: int) -> tuple[np.ndarray, np.ndarray]:
        """The edges as sorted integers ``(citing * nodes + cited) * len(kinds) + kind`` of
        their node positions (`position`: by handle) and kind (its rank among the kinds'
        names), each once, with its facts number; the edges of records that merged into one
        work merge (their facts in the order the registry first met each (citing, cited,
        kind) of handles, then in the order added), and a work citing itself (a preprint
        citing its venue version) is dropped."""
        kinds = sorted(self._kinds)
        rank = np.zeros(max(len(self._kinds), 1), np.int64)
        for name, number in self._kinds.items():
            rank[number] = kinds.index(name)
        if not len(self._edge_citing):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        citing = np.frombuffer(self._edge_citing, np.int64)
        cited = np.frombuffer(self._edge_cited, np.int64)
        kind = np.frombuffer(self._edge_kind, np.int64)
        facts = np.frombuffer(self._edge_facts, np.int64).copy()
        u, v = position[citing], position[cited]
        code = (u * nodes + v) * len(kinds) + rank[kind]
        added = self._edge_codes()
        order = np.argsort(code, kind="stable")
        sorted_code = code[order]
        repeated = np.flatnonzero(sorted_code[1:] == sorted_code[:-1])
        keep = np.ones(len(order), bool)
        if len(repeated):  # (few: edges added twice, or by records that merged)
            runs = sorted_code[repeated]
            members = np.flatnonzero(np.isin(code, runs))  # (every row of those edges)
            first_of: dict[int, int] = {}  # added edge -> the row it was first added at
            groups: dict[int, list[tuple[int, int]]] = {}
            rows_ = zip(
                members.tolist(), code[members].tolist(), added[members].tolist(), strict=True
            )
            for i, c, a in rows_:
                groups.setdefault(c, []).append((first_of.setdefault(a, i), i))
            for rows in groups.values():
                rows.sort()
                merged = self._facts[facts[rows[0][1]]]
                for _, i in rows[1:]:
                    merged = self._shared(_merged_facts(merged, self._facts[facts[i]]))
                    keep[i] = False
                facts[rows[0][1]] = self._number_of(merged)
                keep[rows[0][1]] = True
        chosen = order[keep[order] & (u[order] != v[order])]
        return code[chosen], facts[chosen]

    def _number_of(self, facts: EdgeFacts) -> int:
        """The number of `facts` in ``_facts`` (kept alive there: its id stays its own)."""
        number = self._facts_number.get(id(facts))
        if number is None:
            number = self._facts_number[id(facts)] = len(self._facts)
            self._facts.append(facts)
        return number


class CitingWorks(Mapping[int, frozenset[int]]):
    """Cited work -> the works citing it, from two arrays (one row per citation): built in
    bulk, each set made when first asked for (author names ask for a few)."""

    def __init__(self, cited: np.ndarray, citing: np.ndarray) -> None:
        order = np.argsort(cited, kind="stable")
        self._cited, self._citing = cited[order], citing[order]
        self._works = np.unique(self._cited)

    def __getitem__(self, work: int) -> frozenset[int]:
        a, b = np.searchsorted(self._cited, [work, work + 1]) if isinstance(work, int) else (0, 0)
        if a == b:
            raise KeyError(work)
        return frozenset(self._citing[a:b].tolist())

    def __iter__(self) -> Iterator[int]:
        return iter(self._works.tolist())

    def __len__(self) -> int:
        return len(self._works)


def _edge_attributes(kind: str, facts: EdgeFacts) -> dict[str, Any]:
    """The attributes of an edge of `kind` with `facts`, as graph/schema.py names them."""
    provenance = [{"source": s, "evidence": e, "scope": sc} for s, e, sc in facts.provenance]
    attrs: dict[str, Any] = {
        "kind": kind,
        "provenance": provenance,
        "sources": sorted({p["source"] for p in provenance}),
        "intents": list(facts.intents),
        "contexts": list(facts.contexts),
    }
    if facts.is_influential is not None:
        attrs["is_influential"] = facts.is_influential
    return attrs
