"""Named clusters of a map: Louvain communities, each named by its most distinctive title words.

A section colour says where a paper sits in the curated list; most papers of a citation graph
are not in it. Communities come from the links themselves (Blondel et al. 2008, "Fast unfolding
of communities in large networks", as implemented by networkx, seeded so the same graph always
gives the same clusters), and each is named by the title words that are frequent inside it and
rare outside (TF-IDF of the cluster's titles against the other papers of the map), so a reader
sees "equilibrium · implicit · fixed" instead of "cluster 3".

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> for i in range(4):
    ...     G.add_node(f"o{i}", title=f"Neural ODE solvers part {i}")
    ...     G.add_node(f"q{i}", title=f"Equilibrium models fixed point {i}")
    >>> G.add_edges_from([("o1", "o0"), ("o2", "o0"), ("o3", "o1"), ("o3", "o2")])
    >>> G.add_edges_from([("q1", "q0"), ("q2", "q0"), ("q3", "q1"), ("q3", "q2")])
    >>> found = detect_communities(G, list(G))
    >>> [(c.name, len(c.members)) for c in found]
    [('ode · solvers · neural', 4), ('equilibrium · fixed · point', 4)]
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

#: clusters beyond this many (or smaller than MIN_SIZE) share one "small clusters" entry
MAX_COMMUNITIES = 14
MIN_SIZE = 3
#: the legend's name for papers in no cluster big enough to be named
SMALL_CLUSTERS = "Small clusters and unlinked papers"
NAME_WORDS = 3

_STOPWORDS = frozenset(
    """a an and are as at based be by for from in into is it its of on or over the their this
    to towards toward using via with without we our new can than which how what when do does
    vs versus through under part i ii iii iv v vi learning approach method methods study
    analysis application applications paper note problem problems use one two""".split()
)
#: words of nearly every title in this field: they name a cluster only when nothing else does
_GENERIC = frozenset("neural network networks model models deep data learning".split())
_WORD = re.compile(r"[a-z][a-z0-9\-]*[a-z0-9]|[a-z]")


@dataclass(frozen=True)
class Community:
    """A cluster of the map: its name (distinctive title words), words and member nodes."""

    name: str
    words: tuple[str, ...]
    members: tuple[Hashable, ...]


def title_words(title: str) -> list[str]:
    """Lowercase, accent-free words of a title, without stop words or numbers.

    >>> title_words("Neural Ordinary Differential Équations for 2 tasks")
    ['neural', 'ordinary', 'differential', 'equations', 'tasks']
    """
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", title.lower()) if not unicodedata.combining(ch)
    )
    return [w for w in _WORD.findall(folded) if w not in _STOPWORDS and len(w) > 1]


def detect_communities(
    G: nx.DiGraph,
    nodes: Sequence[Hashable],
    *,
    weights: Mapping[tuple[str, str], float] | None = None,
    seed: int = 7,
) -> list[Community]:
    """Louvain communities of the links among `nodes`, biggest first, at most MAX_COMMUNITIES.

    Links are `G`'s edges among `nodes` (direction ignored), or the pairs of `weights` when
    given (a similarity view). Clusters smaller than MIN_SIZE are not returned: their papers
    belong to :data:`SMALL_CLUSTERS`.
    """
    chosen = set(nodes)
    U = nx.Graph()
    U.add_nodes_from(nodes)
    if weights is not None:
        U.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items() if w > 0)
    else:
        U.add_edges_from((u, v) for u, v in G.edges() if u in chosen and v in chosen and u != v)
    if U.number_of_edges() == 0:
        return []
    parts = nx.community.louvain_communities(U, weight="weight", seed=seed)
    # stable order: biggest first, then by the smallest member key
    parts = sorted(parts, key=lambda p: (-len(p), min(map(str, p))))
    kept = [p for p in parts if len(p) >= MIN_SIZE][:MAX_COMMUNITIES]
    words = {v: set(title_words(str(G.nodes[v].get("title") or ""))) for v in nodes}
    names = name_clusters([sorted(p, key=str) for p in kept], words)
    return [
        Community(name=" · ".join(name), words=tuple(name), members=tuple(sorted(p, key=str)))
        for p, name in zip(kept, names, strict=True)
    ]


def name_clusters(
    clusters: Sequence[Sequence[Hashable]], words: Mapping[Hashable, Iterable[str]]
) -> list[tuple[str, ...]]:
    """The NAME_WORDS most distinctive words of each cluster's titles.

    A word's weight in a cluster is its share of the cluster's papers times
    ``log(N / df)``, N the papers of all clusters and the rest, df the papers using it
    anywhere; a word already naming a bigger cluster is passed over when another is nearly as
    good, so two clusters rarely get the same name.

    >>> name_clusters([["a", "b"], ["c"]], {"a": {"deep", "equilibrium"},
    ...     "b": {"equilibrium"}, "c": {"ode", "deep"}, "d": {"deep"}})
    [('equilibrium',), ('ode', 'deep')]

    (a word must name at least two papers of a cluster of two or more, so one stray title
    does not name the cluster).
    """
    df: Counter[str] = Counter()
    for ws in words.values():
        df.update(set(ws))
    total = max(1, len(words))
    used: set[str] = set()
    names = []
    for members in clusters:
        tf: Counter[str] = Counter()
        for v in members:
            tf.update(set(words.get(v, ())))
        size = max(1, len(members))
        scored = sorted(
            (
                (tf[w] / size)
                * math.log(total / df[w])
                * (0.7 if w in used else 1.0)
                * (0.5 if w in _GENERIC else 1.0),
                w,
            )
            for w in tf
            if tf[w] >= min(2, size)
        )
        best = [w for _, w in sorted(scored, key=lambda sw: (-sw[0], sw[1]))][:NAME_WORDS]
        if not best:
            best = [w for w, _ in tf.most_common(NAME_WORDS)]
        used.update(best)
        names.append(tuple(best) or ("unnamed",))
    return names
