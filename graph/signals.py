"""Relatedness signals between papers of an atlas graph, one function per signal.

Each signal is shaped like a networkx link-prediction algorithm: the graph first, the seed
papers, keyword options, and a dict ``{node key: score}`` of the papers related to the seeds
(seeds excluded, only positive scores, best first). With several seeds, a paper's score is the
sum of its scores against each seed. Only edges with ``kind == "cites"`` count as citations.

The heavy signals run on :mod:`scipy.sparse` matrices (co-citation is ``AᵀA``, coupling is
``AAᵀ``, restricted to the seeds' columns) built once per graph by :func:`citation_index` and
cached, so a query on a 100,000-paper graph takes well under a second after the first one.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("c1", "a"), ("c1", "b"), ("c2", "a"), ("c2", "b")], kind="cites")
    >>> {key: round(score, 2) for key, score in cocitation(G, ["a"]).items()}
    {'b': 2.04}
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .acronyms import learn_acronyms, spellings
from .errors import LookupFailed
from .schema import EDGE_CITES

__all__ = [
    "SIGNALS",
    "CitationIndex",
    "TextIndex",
    "bibliographic_coupling",
    "build_text_index",
    "citation_index",
    "cocitation",
    "content_words",
    "direct_citation",
    "graph_acronyms",
    "personalized_pagerank",
    "text_index",
    "text_similarity",
    "tokenize",
]

Seeds = str | Iterable[str]


@dataclass
class CitationIndex:
    """The citation edges of a graph as sparse matrices, with per-paper attributes as arrays.

    ``cites[i, j] == 1`` when ``keys[i]`` cites ``keys[j]``; ``cited_by`` is its transpose.
    """

    keys: list[str]
    position: dict[str, int]
    cites: sp.csr_array
    cited_by: sp.csr_array
    in_degree: np.ndarray
    out_degree: np.ndarray
    year: np.ndarray  # 0 when unknown
    curated: np.ndarray  # bool
    software: np.ndarray  # bool
    _walks: dict[bool, sp.csr_array] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.keys)

    def seed_positions(self, seeds: Seeds) -> np.ndarray:
        """Matrix positions of `seeds`; LookupFailed for a key not in the graph."""
        keys = [seeds] if isinstance(seeds, str) else list(seeds)
        missing = [k for k in keys if k not in self.position]
        if missing:
            raise LookupFailed(
                f"{', '.join(map(repr, missing))} not in the graph; resolve queries with "
                "implicit_atlas.graph.lookup.find_paper first"
            )
        return np.array(sorted({self.position[k] for k in keys}), dtype=np.int64)

    def walk_matrix(self, directed: bool) -> sp.csr_array:
        """Column-stochastic transition matrix for PageRank (cached); dangling columns are 0."""
        if directed not in self._walks:
            adjacency = self.cites if directed else (self.cites + self.cited_by)
            adjacency = (adjacency > 0).astype(np.float64)
            out = np.asarray(adjacency.sum(axis=1)).ravel()
            inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
            self._walks[directed] = sp.csr_array((sp.diags_array(inv) @ adjacency).T)
        return self._walks[directed]


_CITATION_INDEX = "implicit_atlas.citation_index"
_TEXT_INDEX = "implicit_atlas.text_index"


def _cached_index(G: nx.DiGraph, name: str, stamp: tuple[int, int]) -> Any:
    """The index stored on `G` under ``name``, or None when absent or `G` changed size.

    Indexes live in ``G.__networkx_cache__``, which networkx empties whenever nodes or edges
    are added or removed; after editing attributes in place (titles, edge kinds), clear it
    with ``G.__networkx_cache__.clear()``.
    """
    store = getattr(G, "__networkx_cache__", None)
    cached = store.get(name) if isinstance(store, dict) else None
    if cached is not None and cached[0] == stamp:
        return cached[1]
    return None


def _store_index(G: nx.DiGraph, name: str, stamp: tuple[int, int], index: Any) -> None:
    store = getattr(G, "__networkx_cache__", None)
    if isinstance(store, dict):
        store[name] = (stamp, index)


def graph_stamp(G: nx.DiGraph) -> tuple[int, int]:
    """(nodes, edges) of `G`, to notice a graph that grew since its index was built.

    Counts the adjacency dict directly when it is one: networkx's ``number_of_edges`` walks a
    degree view and costs more than a whole sparse query on a 100,000-paper graph.
    """
    succ = getattr(G, "_succ", None)
    edges = sum(map(len, succ.values())) if type(succ) is dict else G.number_of_edges()
    return len(G), edges


def citation_index(G: nx.DiGraph) -> CitationIndex:
    """The :class:`CitationIndex` of `G`, built once, reused until `G`'s nodes or edges change."""
    stamp = graph_stamp(G)
    cached: CitationIndex | None = _cached_index(G, _CITATION_INDEX, stamp)
    if cached is not None:
        return cached
    keys = list(G.nodes)
    position = {k: i for i, k in enumerate(keys)}
    rows: list[int] = []
    cols: list[int] = []
    for u, v, kind in G.edges(data="kind"):
        if kind == EDGE_CITES and u != v:
            rows.append(position[u])
            cols.append(position[v])
    n = len(keys)
    data = np.ones(len(rows), dtype=np.float64)
    cites = sp.csr_array(
        (data, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(n, n)
    )
    cited_by = sp.csr_array(cites.T)
    year = np.zeros(n, dtype=np.int64)
    curated = np.zeros(n, dtype=bool)
    software = np.zeros(n, dtype=bool)
    for i, (_, attrs) in enumerate(G.nodes(data=True)):
        y = attrs.get("year")
        if isinstance(y, int):
            year[i] = y
        curated[i] = bool(attrs.get("curated"))
        software[i] = attrs.get("type") == "software"
    index = CitationIndex(
        keys=keys,
        position=position,
        cites=cites,
        cited_by=cited_by,
        in_degree=np.asarray(cites.sum(axis=0)).ravel(),
        out_degree=np.asarray(cites.sum(axis=1)).ravel(),
        year=year,
        curated=curated,
        software=software,
    )
    _store_index(G, _CITATION_INDEX, stamp, index)
    return index


# --- co-citation and coupling ---------------------------------------------------------------


def cocitation_scores(index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    """Hub-damped co-citation of every paper with the seeds, summed over seeds (dense array).

    Each paper citing both a seed and the candidate adds ``1 / log |R(u)|`` (a citer with a
    long reference list says less about any pair it cites), and the sum is divided by
    ``√|C(c)|`` as in Salton's cosine, so a candidate cited by half the field does not win
    on mass.
    Row slices only: ``cited_by[seeds] @ cites`` walks each citer of a seed and its
    references, so the cost follows the seeds' neighbourhoods, not the graph's size.
    """
    rows = sp.coo_array(index.cited_by[seeds, :])  # seed x paper citing it
    citers, seeds_cited = np.unique(rows.col, return_counts=True)
    rarity = 1.0 / np.log(np.maximum(index.out_degree[citers], 2))
    shared = (seeds_cited * rarity) @ index.cites[citers, :]
    return np.asarray(shared).ravel() / np.sqrt(np.maximum(index.in_degree, 1))


def coupling_scores(index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    """Adamic/Adar bibliographic coupling of every paper with the seeds, summed over seeds."""
    degree = index.in_degree
    rarity = np.divide(
        1.0, np.log(np.maximum(degree, 2)), out=np.zeros(index.size), where=degree > 1
    )
    seed_refs = sp.csr_array(index.cites[seeds, :] @ sp.diags_array(rarity))  # s x n
    shared = seed_refs @ index.cited_by  # s x n
    return np.asarray(shared.sum(axis=0)).ravel()


def cocitation(G: nx.DiGraph, seeds: Seeds, *, limit: int | None = None) -> dict[str, float]:
    """Papers cited together with the seeds, hub-damped (Adamic/Adar on the shared citers).

    .. math:: \\mathrm{cocit}(a, b) = \\frac{1}{\\sqrt{|C(b)|}}
              \\sum_{u \\in C(a) \\cap C(b)} \\frac{1}{\\log |R(u)|}

    where :math:`C(x)` is the set of papers in the graph that cite :math:`x` and :math:`R(u)`
    the references of :math:`u`. A thesis citing 300 papers co-cites each pair less than a
    paper citing 20, and a candidate cited by half the field does not win on its mass alone
    (on the bundled data this lifts the leave-one-out MRR of co-citation from 0.36 to 0.60,
    bench/bench_related_real.py). With one seed the ranking is Salton's cosine with shared
    citers weighted; several seeds add up. Papers nobody cites get no score.

    Small, H. (1973). Co-citation in the scientific literature: A new measure of the relationship
    between two documents. JASIS 24(4). Adamic, L. & Adar, E. (2003). Friends and neighbors on
    the Web. Social Networks 25(3).
    """
    index = citation_index(G)
    positions = index.seed_positions(seeds)
    return _to_dict(index, cocitation_scores(index, positions), positions, limit)


def bibliographic_coupling(
    G: nx.DiGraph, seeds: Seeds, *, limit: int | None = None
) -> dict[str, float]:
    """Papers that share references with the seeds, rare shared references weighing more.

    .. math:: \\mathrm{coupling}(a, b) = \\sum_{r \\in R(a) \\cap R(b)} \\frac{1}{\\log |C(r)|}

    where :math:`R(x)` are the references of :math:`x` and :math:`|C(r)|` the number of papers
    in the graph citing :math:`r` (at least 2 for a shared reference, so the logarithm is > 0).

    Kessler, M. M. (1963). Bibliographic coupling between scientific papers. American
    Documentation 14(1); weighting as in Adamic, L. & Adar, E. (2003). Friends and neighbors
    on the Web. Social Networks 25(3).
    """
    index = citation_index(G)
    positions = index.seed_positions(seeds)
    return _to_dict(index, coupling_scores(index, positions), positions, limit)


# --- direct citation -------------------------------------------------------------------------


def direct_citation(
    G: nx.DiGraph, seeds: Seeds, *, influential_weight: float = 1.0
) -> dict[str, float]:
    """Papers that cite a seed or are cited by one.

    .. math:: \\mathrm{direct}(s, b) = [s \\to b] + [b \\to s] + w \\cdot n_\\mathrm{influential}

    An edge counts once per direction; Semantic Scholar's ``is_influential`` flag adds
    `influential_weight`. Garfield, E. (1955). Citation indexes for science. Science 122.
    """
    index = citation_index(G)
    positions = index.seed_positions(seeds)
    return _to_dict(index, direct_scores(G, index, positions, influential_weight), positions, None)


def direct_scores(
    G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray, influential_weight: float = 1.0
) -> np.ndarray:
    out = np.zeros(index.size)
    for s in seeds:
        key = index.keys[s]
        edges = [(v, d) for _, v, d in G.out_edges(key, data=True)]
        edges += [(u, d) for u, _, d in G.in_edges(key, data=True)]
        for other, attrs in edges:
            if attrs.get("kind") != EDGE_CITES:
                continue
            bonus = influential_weight if attrs.get("is_influential") else 0.0
            out[index.position[other]] += 1.0 + bonus
    return out


# --- personalised PageRank -------------------------------------------------------------------


def personalized_pagerank(
    G: nx.DiGraph,
    seeds: Seeds,
    *,
    alpha: float = 0.85,
    directed: bool = False,
    tol: float = 1e-10,
    max_iter: int = 100,
    degree_normalized: bool = False,
    limit: int | None = None,
) -> dict[str, float]:
    """Where a random reader starting from the seeds ends up, following citations.

    Power iteration of :math:`x \\leftarrow \\alpha P x + (1 - \\alpha) p` with :math:`p`
    uniform over the seeds; from a paper with no citations the walk jumps back to the seeds.
    By default citations are followed both ways (``directed=False``), so newer and older
    work are both reachable; ``directed=True`` follows them only from citing to cited paper.
    ``degree_normalized=True`` divides each score by the paper's citation degree, so heavily
    cited general papers no longer win by popularity alone (Andersen, Chung & Lang, 2006,
    "Local graph partitioning using PageRank vectors", FOCS); the fusion uses this form.

    Haveliwala, T. (2002). Topic-sensitive PageRank. WWW '02; Page, L. et al. (1999).
    """
    index = citation_index(G)
    positions = index.seed_positions(seeds)
    scores = pagerank_scores(
        index,
        positions,
        alpha=alpha,
        directed=directed,
        tol=tol,
        max_iter=max_iter,
        degree_normalized=degree_normalized,
    )
    return _to_dict(index, scores, positions, limit)


def pagerank_scores(
    index: CitationIndex,
    seeds: np.ndarray,
    *,
    alpha: float = 0.85,
    directed: bool = False,
    tol: float = 1e-10,
    max_iter: int = 100,
    degree_normalized: bool = False,
) -> np.ndarray:
    n = index.size
    if n == 0:
        return np.zeros(0)
    walk = index.walk_matrix(directed)
    dangling = np.asarray(walk.sum(axis=0)).ravel() == 0
    p = np.zeros(n)
    p[seeds] = 1.0 / len(seeds)
    x = p.copy()
    for _ in range(max_iter):
        nxt = alpha * (walk @ x) + (alpha * x[dangling].sum() + 1.0 - alpha) * p
        delta = float(np.abs(nxt - x).sum())
        x = nxt
        if delta < n * tol:
            break
    if degree_normalized:
        degree = index.in_degree + index.out_degree
        return np.divide(x, degree, out=np.zeros_like(x), where=degree > 0)
    return x


# --- text similarity -------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a an and are as at based be by for from in into is it its of on or over the their this
    to towards toward using via with without we our new can than which how what when do does
    vs versus through under""".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Lowercase word stems (plural "s" dropped, stop words removed) and adjacent-word pairs."""
    return _with_pairs(content_words(text))


def content_words(text: str) -> list[str]:
    """The word stems of :func:`tokenize`, in order, without the pairs."""
    ascii_text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch)
    )
    return [_stem(w) for w in _TOKEN.findall(ascii_text) if w not in STOPWORDS and len(w) > 1]


def _with_pairs(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass
class TextIndex:
    """L2-normalised TF-IDF vectors of every paper's title and abstract (rows follow keys)."""

    keys: list[str]
    position: dict[str, int]
    vectors: sp.csr_array
    postings: sp.csr_array  # vectors transposed: term -> papers, for fast queries
    terms: list[str]
    has_text: np.ndarray  # bool


def text_index(G: nx.DiGraph) -> TextIndex:
    """The :class:`TextIndex` of `G`, built once, reused until `G`'s nodes or edges change."""
    stamp = graph_stamp(G)
    cached: TextIndex | None = _cached_index(G, _TEXT_INDEX, stamp)
    if cached is not None:
        return cached
    index = build_text_index(G)
    _store_index(G, _TEXT_INDEX, stamp, index)
    return index


def graph_acronyms(G: nx.DiGraph) -> dict[str, tuple[str, ...]]:
    """The acronyms `G`'s titles define by use (:func:`.acronyms.learn_acronyms`)."""
    return learn_acronyms(_titles(G), _documents(G))


def _titles(G: nx.DiGraph) -> list[str | None]:
    return [attrs.get("title") for _, attrs in G.nodes(data=True)]


def _documents(G: nx.DiGraph) -> list[list[str]]:
    return [
        content_words(" ".join(str(attrs.get(f) or "") for f in ("title", "abstract")))
        for _, attrs in G.nodes(data=True)
    ]


ACRONYM_FORM = "contract+words"
"""How :func:`build_text_index` writes the acronyms the corpus defines (:func:`graph_acronyms`):
``"contract"`` replaces each expansion by its acronym ("neural ordinary differential
equations" is indexed as "neural ode"); ``"contract+words"`` does so and keeps the single
words the paper wrote ("ordinary", "differential", "equation": a paper on partial
differential equations still shares words with one on ordinary ones); ``"expand"`` replaces
each acronym by its expansion; ``"both"`` gives every paper the terms of the contracted and
the expanded form; ``"none"`` leaves the words as written. Measured in docs/related.md."""
_FORMS = ("contract+words", "contract", "expand", "both", "none")


def build_text_index(G: nx.DiGraph, *, acronyms: str | None = None) -> TextIndex:
    """A new :class:`TextIndex` of `G` (not cached), the corpus's acronyms written in one form
    (`acronyms`, default :data:`ACRONYM_FORM`), so "Neural ODEs" and "Neural Ordinary
    Differential Equations" share their words.
    """
    form = ACRONYM_FORM if acronyms is None else acronyms
    if form not in _FORMS:
        raise ValueError(f"acronyms={form!r}: use one of {', '.join(_FORMS)}")
    keys = list(G.nodes)
    documents = _documents(G)
    table = learn_acronyms(_titles(G), documents) if form != "none" else {}
    forms = _AcronymForms(table, form, documents) if table else None
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    counts: list[float] = []
    for i, words in enumerate(documents):
        counted = Counter(_with_pairs(words)) if forms is None else forms.terms(i, words)
        for term, tf in counted.items():
            rows.append(i)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(1.0 + math.log(tf))
    n, v = len(keys), len(vocabulary)
    tf_matrix = sp.csr_array(
        (np.array(counts), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(n, v),
    )
    df = np.bincount(np.array(cols, dtype=np.int64), minlength=v)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    weighted = sp.csr_array(tf_matrix @ sp.diags_array(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    vectors = sp.csr_array(sp.diags_array(inv) @ weighted)
    terms = [""] * v
    for term, j in vocabulary.items():
        terms[j] = term
    return TextIndex(
        keys=keys,
        position={k: i for i, k in enumerate(keys)},
        vectors=vectors,
        postings=sp.csr_array(vectors.T),
        terms=terms,
        has_text=norms > 0,
    )


class _AcronymForms:
    """Rewrites the papers' words with the corpus's acronyms in one form."""

    def __init__(
        self, table: dict[str, tuple[str, ...]], form: str, documents: list[list[str]]
    ) -> None:
        self.form = form
        self.singular = {a + "s": a for a in table if a + "s" not in table}  # "qps": tokenize
        self.expansions = {**{p: table[a] for p, a in self.singular.items()}, **table}
        self.acronym_words = frozenset(self.expansions)  # keeps the "s" of words of 3 letters
        self.found: dict[int, dict[int, str]] = {}  # document -> position -> acronym there
        for doc, at, acronym in spellings(documents, table):
            run = table[acronym]
            if tuple(documents[doc][at : at + len(run)]) == run:
                self.found.setdefault(doc, {}).setdefault(at, acronym)

    def terms(self, doc: int, words: list[str]) -> Counter[str]:
        """The term counts of document `doc`, whose words are `words`, in the index's form."""
        if self.form == "expand":
            return Counter(_with_pairs(self.expanded(words)))
        counted = Counter(_with_pairs(self.contracted(doc, words)))
        if self.form == "both":
            other = Counter(_with_pairs(self.expanded(words)))
        elif self.form == "contract+words" and doc in self.found:
            other = Counter(self.singular_words(words))  # the single words it wrote
        else:
            return counted
        for term, count in other.items():
            if count > counted[term]:
                counted[term] = count
        return counted

    def expanded(self, words: list[str]) -> list[str]:
        """`words` with each acronym replaced by its expansion's words."""
        if self.acronym_words.isdisjoint(words):
            return words
        out: list[str] = []
        for w in words:
            out.extend(self.expansions.get(w, (w,)))
        return out

    def singular_words(self, words: list[str]) -> list[str]:
        """`words` with plural acronyms in singular ("qps" -> "qp")."""
        if self.acronym_words.isdisjoint(words):
            return words
        return [self.singular.get(w, w) for w in words]

    def contracted(self, doc: int, words: list[str]) -> list[str]:
        """`words` with each expansion replaced by its acronym (plural acronyms singular)."""
        words = self.singular_words(words)
        found = self.found.get(doc)
        if not found:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            if i in found:
                out.append(found[i])
                i += len(found[i])
            else:
                out.append(words[i])
                i += 1
        return out


def text_scores(index: TextIndex, seeds: np.ndarray) -> np.ndarray:
    """Cosine similarity of every paper's TF-IDF vector to each seed's, summed over seeds."""
    query = index.vectors[seeds, :]  # s x terms
    return np.asarray((query @ index.postings).sum(axis=0)).ravel()


TEXT_LIFT_PAIRS = 20_000
"""At most this many citation pairs are compared by :func:`text_lift` (a fixed sample)."""
TEXT_LIFT_MIN_PAIRS = 50
"""Below this many citation pairs with text on both ends, :func:`text_lift` does not judge."""
_TEXT_LIFT = "implicit_atlas.text_lift"


def text_lift(G: nx.DiGraph) -> float | None:
    """How much more alike a citing paper's and a cited paper's words are than two random
    papers' (mean TF-IDF cosine over citation pairs ÷ mean over all pairs); ``None`` when the
    graph holds fewer than :data:`TEXT_LIFT_MIN_PAIRS` citation pairs with text on both ends.

    A field's titles name its topics, so citing pairs share words (the bundled data: 5.8×);
    titles that carry no topic give about 1×, and then text similarity is noise.
    """
    stamp = graph_stamp(G)
    cached = _cached_index(G, _TEXT_LIFT, stamp)
    if cached is not None:
        return cached[0]
    index, text = citation_index(G), text_index(G)
    citing, cited = index.cites.nonzero()
    both = text.has_text[citing] & text.has_text[cited]
    citing, cited = citing[both], cited[both]
    if len(citing) > TEXT_LIFT_PAIRS:
        chosen = np.random.default_rng(0).choice(len(citing), TEXT_LIFT_PAIRS, replace=False)
        citing, cited = citing[chosen], cited[chosen]
    lift: float | None = None
    n = int(np.count_nonzero(text.has_text))
    if len(citing) >= TEXT_LIFT_MIN_PAIRS and n > 1:
        pairs = float(text.vectors[citing].multiply(text.vectors[cited]).sum()) / len(citing)
        total = np.asarray(text.vectors.sum(axis=0)).ravel()  # rows are unit vectors
        random_pairs = (float(total @ total) - n) / (n * (n - 1))
        lift = pairs / random_pairs if random_pairs > 0 else None
    _store_index(G, _TEXT_LIFT, stamp, (lift,))
    return lift


def text_similarity(G: nx.DiGraph, seeds: Seeds, *, limit: int | None = None) -> dict[str, float]:
    """Papers whose title and abstract use the seeds' words, by TF-IDF cosine similarity.

    .. math:: \\mathrm{text}(a, b) = \\frac{t_a \\cdot t_b}{\\|t_a\\|\\,\\|t_b\\|},\\quad
              t_{x,w} = (1 + \\log \\mathrm{tf}_{x,w}) \\cdot
              \\left(1 + \\log\\frac{1 + N}{1 + \\mathrm{df}_w}\\right)

    over word stems and adjacent-word pairs. It needs no citations, so papers the graph barely
    links still find their neighbours. Salton, G. & Buckley, C. (1988). Term-weighting
    approaches in automatic text retrieval. Information Processing & Management 24(5).
    """
    cindex = citation_index(G)
    positions = cindex.seed_positions(seeds)
    return _to_dict(cindex, text_scores(text_index(G), positions), positions, limit)


# --- results ---------------------------------------------------------------------------------


def top_positions(
    scores: np.ndarray, eligible: np.ndarray, limit: int | None, keys: Sequence[str] | None = None
) -> np.ndarray:
    """Positions of the best eligible positive scores, best first.

    Ties are broken by node key (alphabetical; by position when `keys` is not given), so the
    order of the first ``n`` papers is the same whatever `limit`: every paper tied with the
    last one kept is sorted before the list is cut.
    """
    candidates = np.flatnonzero(eligible & (scores > 0))
    if limit is not None and len(candidates) > limit:
        cutoff = np.partition(scores[candidates], len(candidates) - limit)[-limit]
        candidates = candidates[scores[candidates] >= cutoff]
    if keys is None:
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
    else:
        order = np.array(
            sorted(candidates.tolist(), key=lambda i: (-scores[i], keys[i])), dtype=np.int64
        )
    return order if limit is None else order[:limit]


def _to_dict(
    index: CitationIndex, scores: np.ndarray, seeds: np.ndarray, limit: int | None
) -> dict[str, float]:
    eligible = np.ones(index.size, dtype=bool)
    eligible[seeds] = False
    chosen = top_positions(scores, eligible, limit, index.keys)
    return {index.keys[i]: float(scores[i]) for i in chosen}


SIGNALS: dict[str, Callable[..., dict[str, float]]] = {
    "cocitation": cocitation,
    "coupling": bibliographic_coupling,
    "citation": direct_citation,
    "pagerank": personalized_pagerank,
    "text": text_similarity,
}
"""The signals by the names the CLI and the fusion use."""
