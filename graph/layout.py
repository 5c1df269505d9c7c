"""Node positions for the HTML map, computed in Python so the page is interactive at once.

A browser running vis-network's physics on thousands of nodes freezes for seconds and lands on
a different picture every time. Here positions are computed once, deterministically (same graph
and seed, same picture), with vectorised numpy:

* :func:`force_layout` — Fruchterman-Reingold (Fruchterman & Reingold 1991, "Graph drawing by
  force-directed placement"): every pair repels with ``k^2/d``, every link attracts with
  ``d^2/k``, moves are capped by a cooling temperature. Start positions group nodes by
  section, so sections become neighbourhoods of the map. networkx's ``spring_layout`` does the
  same in a Python loop per node and takes about a minute on 5,000 nodes.
* :func:`timeline_layout` — x is the publication year, y a band per section.

    >>> import networkx as nx
    >>> G = nx.path_graph(4, create_using=nx.DiGraph)
    >>> pos = force_layout(G, list(G), groups={}, seed=1)
    >>> sorted(pos) == [0, 1, 2, 3] and pos == force_layout(G, list(G), groups={}, seed=1)
    True
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

Position = tuple[float, float]

#: distance between linked nodes the layout aims for, in vis-network canvas pixels
LINK_LENGTH = 60.0
#: median distance to the nearest other node the layout keeps at least, in pixels
NODE_SPACING = 22.0
#: rows of the pair-distance matrix computed at once (bounds memory to ~rows * N * 8 bytes)
_CHUNK_ROWS = 256
#: above this many nodes, repulsion is approximated on a grid instead of summed over all pairs
EXACT_REPULSION_MAX_NODES = 1000
_GRAVITY = 0.02
#: timeline layout: distance between papers, gaps between year columns and section bands,
#: and the width/height it aims for (a screen beside the page's panels)
TIMELINE_SPACING = 26.0
#: the largest node radius that fits the timeline's grid without touching a neighbour
TIMELINE_MAX_RADIUS = TIMELINE_SPACING / 2 - 2
COLUMN_GAP = 8.0
BAND_GAP = 34.0
BAND_PAD = 22.0
TIMELINE_ASPECT = 0.85
TIMELINE_FIRST_YEAR_IF_UNKNOWN = 2000


def force_layout(
    G: nx.DiGraph,
    nodes: Sequence[Hashable],
    *,
    groups: Mapping[Hashable, str | None],
    seed: int = 7,
    iterations: int | None = None,
) -> dict[Hashable, Position]:
    """Deterministic force-directed positions for `nodes` (links of `G` among them attract).

    `groups` maps a node to its section (or None); nodes of a section start near each other.
    Nodes with no link among `nodes` go on a shelf below the drawing, in rows.
    """
    chosen = set(nodes)
    linked = [v for v in nodes if any(w in chosen and w != v for w in _neighbours(G, v))]
    alone = [v for v in nodes if v not in set(linked)]
    result: dict[Hashable, Position] = {}
    if len(linked) == 1:
        result[linked[0]] = (0.0, 0.0)
    elif linked:
        n = len(linked)
        index = {node: i for i, node in enumerate(linked)}
        src, dst = _link_arrays(G, index)
        pos = _start_positions(linked, groups, seed)
        if iterations is None:
            iterations = 120 if n <= 2000 else 80
        weight = _link_weights(G, linked, src, dst)
        pos = _fruchterman_reingold(pos, src, dst, iterations, weight)
        pos = _pull_in_outliers(pos)
        pos *= _scale(pos, src, dst)
        for node, (x, y) in zip(linked, pos, strict=True):
            result[node] = (round(float(x), 1), round(float(y), 1))
    result.update(_shelf(alone, groups, below=max((y for _, y in result.values()), default=0.0)))
    return result


def _neighbours(G: nx.DiGraph, v: Hashable) -> Iterable[Hashable]:
    yield from G.successors(v)
    yield from G.predecessors(v)


def _shelf(
    nodes: Sequence[Hashable], groups: Mapping[Hashable, str | None], *, below: float
) -> dict[Hashable, Position]:
    """Rows of unlinked nodes under the drawing, grouped by section, in a stable order."""
    ordered = sorted(nodes, key=lambda v: (groups.get(v) or "\uffff", str(v)))
    per_row = max(1, math.ceil(math.sqrt(len(ordered) * 2)))
    # room for a curated paper's label, which the page enlarges when the map is zoomed out
    gap_x, gap_y = 30 * NODE_SPACING, 5 * NODE_SPACING
    out: dict[Hashable, Position] = {}
    for i, node in enumerate(ordered):
        row, col = divmod(i, per_row)
        x = (col - (min(per_row, len(ordered)) - 1) / 2) * gap_x
        out[node] = (round(x, 1), round(below + 2 * gap_y + row * gap_y, 1))
    return out


def first_axis_year(years: Sequence[int]) -> int:
    """The first year a year axis shows one by one: the 5th percentile of `years`.

    Older papers share one "earlier" position (the timeline's column, the page's year slider),
    so a single 19th-century reference does not squeeze forty useful years into a corner.
    """
    known = sorted(years)
    return known[len(known) // 20] if known else TIMELINE_FIRST_YEAR_IF_UNKNOWN


@dataclass
class Timeline:
    """Positions of a timeline layout, and the axis the page draws behind them.

    ``columns``: (centre x, label) of each year column ("earlier" and "undated" included);
    ``edges``: the x of each column's left edge, then the right edge of the last one;
    ``bands``: (name, top y, bottom y) of each section band, top to bottom.
    """

    positions: dict[Hashable, Position]
    columns: list[tuple[float, str]]
    bands: list[tuple[str, float, float]]
    edges: list[float] = dataclasses.field(default_factory=list)


def timeline_layout(
    G: nx.DiGraph,
    nodes: Sequence[Hashable],
    *,
    groups: Mapping[Hashable, str | None],
    band_order: Sequence[str],
    other_band: str = "Other papers",
    aspect: float = TIMELINE_ASPECT,
) -> Timeline:
    """x = publication year, y = one band per section (papers with no section last).

    The year axis is not linear: each year's column is as wide as its papers need, so the
    busy recent years get the room and an empty decade a sliver. Papers of one year and band
    fill a grid (most linked first) on a fixed spacing, so no two papers overlap; how many
    rows a band may use is chosen so the whole drawing is about `aspect` times as wide as
    tall (it fills a screen instead of a thin strip). Years before the 5th percentile share
    one "earlier" column; undated papers come first.
    """
    years = [G.nodes[v].get("year") for v in nodes]
    known = sorted(y for y in years if isinstance(y, int))
    start = first_axis_year(known)
    last = known[-1] if known else start
    has_earlier = bool(known) and known[0] < start
    has_undated = len(known) < len(years)
    labels = (["undated"] if has_undated else []) + (["earlier"] if has_earlier else [])
    offset = len(labels)
    column_labels = labels + [str(y) for y in range(start, last + 1)]

    def column(year: Any) -> int:
        if not isinstance(year, int):
            return 0
        if year < start:
            return offset - 1
        return offset + year - start

    band_names = [*band_order, other_band]
    band_index = {name: i for i, name in enumerate(band_order)}
    cells: dict[tuple[int, int], list[Hashable]] = {}
    for node, year in zip(nodes, years, strict=True):
        section = groups.get(node)
        band = band_index.get(section, len(band_order)) if section is not None else len(band_order)
        cells.setdefault((band, column(year)), []).append(node)

    fullest = [0] * len(band_names)
    for (band, _), members in cells.items():
        fullest[band] = max(fullest[band], len(members))
    rows_cap = _rows_for_aspect(cells, fullest, len(column_labels), aspect)
    rows = [min(rows_cap, f) for f in fullest]
    lanes: dict[tuple[int, int], int] = {
        cell: math.ceil(len(members) / rows[cell[0]]) for cell, members in cells.items()
    }
    widths = [1.0] * len(column_labels)
    for (_, col), count in lanes.items():
        widths[col] = max(widths[col], float(count))
    edges = [0.0]
    for w in widths:
        edges.append(edges[-1] + w * TIMELINE_SPACING + COLUMN_GAP)
    tops, y = [], 0.0
    for r in rows:
        tops.append(y)
        y += _band_height(r)

    positions: dict[Hashable, Position] = {}
    for (band, col), members in cells.items():
        members.sort(key=lambda v: (-G.degree(v), str(v)))
        used = lanes[(band, col)]
        tall = math.ceil(len(members) / used)
        centre_x = (edges[col] + edges[col + 1] - COLUMN_GAP) / 2
        # a short stack sits in the middle of its band, not along the band's top
        first_row = (rows[band] - tall) / 2
        for i, node in enumerate(members):
            lane, row = divmod(i, tall)
            x = centre_x + (lane - (used - 1) / 2) * TIMELINE_SPACING
            y = tops[band] + BAND_PAD + (first_row + row + 0.5) * TIMELINE_SPACING
            positions[node] = (round(x, 1), round(y, 1))
    columns = [
        (round((edges[i] + edges[i + 1] - COLUMN_GAP) / 2, 1), label)
        for i, label in enumerate(column_labels)
    ]
    bands = [
        (name, tops[i], tops[i] + _band_height(rows[i]) - BAND_GAP)
        for i, name in enumerate(band_names)
        if any(band == i for band, _ in cells)
    ]
    shifted = [round(e - COLUMN_GAP / 2, 1) for e in edges]
    return Timeline(positions=positions, columns=columns, bands=bands, edges=shifted)


def _band_height(rows: int) -> float:
    return rows * TIMELINE_SPACING + 2 * BAND_PAD + BAND_GAP


def _rows_for_aspect(
    cells: Mapping[tuple[int, int], Sequence[Hashable]],
    fullest: Sequence[int],
    columns: int,
    aspect: float,
) -> int:
    """The most rows a band may use so that width / height comes closest to `aspect`."""
    best, best_error = 1, math.inf
    for cap in range(1, max(fullest, default=1) + 1):
        rows = [min(cap, f) for f in fullest]
        widths = [1] * columns
        for (band, col), members in cells.items():
            widths[col] = max(widths[col], math.ceil(len(members) / max(1, rows[band])))
        width = sum(w * TIMELINE_SPACING + COLUMN_GAP for w in widths)
        height = sum(_band_height(r) for r, f in zip(rows, fullest, strict=True) if f)
        error = abs(math.log(width / max(height, 1.0) / aspect))
        if error < best_error - 1e-9:
            best, best_error = cap, error
    return best


def _link_arrays(G: nx.DiGraph, index: Mapping[Hashable, int]) -> tuple[np.ndarray, np.ndarray]:
    pairs = {
        (min(index[u], index[v]), max(index[u], index[v]))
        for u, v in G.edges()
        if u in index and v in index and u != v
    }
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    arr = np.array(sorted(pairs), dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def _link_weights(
    G: nx.DiGraph, nodes: Sequence[Hashable], src: np.ndarray, dst: np.ndarray
) -> np.ndarray | None:
    """Each link's ``weight`` attribute over their mean (a similarity view: strongly similar
    papers pull harder), or None when the links carry no weight (all pull alike)."""
    if not len(src):
        return None
    weights = []
    for a, b in zip(src, dst, strict=True):
        u, v = nodes[a], nodes[b]
        data = G.get_edge_data(u, v) or G.get_edge_data(v, u) or {}
        weights.append(data.get("weight"))
    if all(w is None for w in weights):
        return None
    arr = np.array([float(w or 0.0) for w in weights])
    mean = float(arr.mean()) or 1.0
    return np.clip(arr / mean, 0.2, 5.0)[:, None]


def _start_positions(
    nodes: Sequence[Hashable], groups: Mapping[Hashable, str | None], seed: int
) -> np.ndarray:
    """Sections on a circle, each node scattered around its section's point (seeded)."""
    rng = np.random.default_rng(seed)
    names = sorted({g for g in (groups.get(v) for v in nodes) if g is not None})
    n = len(nodes)
    radius = math.sqrt(n)
    centres = {
        name: (
            radius * math.cos(2 * math.pi * i / len(names)),
            radius * math.sin(2 * math.pi * i / len(names)),
        )
        for i, name in enumerate(names)
    }
    pos = rng.normal(0.0, radius * 0.5, size=(n, 2))
    for i, node in enumerate(nodes):
        group = groups.get(node)
        if group is not None:
            pos[i] = pos[i] * 0.4 + centres[group]
    return pos


def _fruchterman_reingold(
    pos: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    iterations: int,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    n = len(pos)
    pos = pos.astype(np.float64)
    temperature = math.sqrt(n) * 0.3
    cooling = temperature / (iterations + 1)
    # ForceAtlas2's degree-weighted repulsion (Jacomy et al. 2014): hubs push harder, so the
    # many papers citing or cited by one hub get room around it instead of piling up.
    mass = 1.0 + np.bincount(np.concatenate([src, dst]), minlength=n).astype(np.float64)
    repel = _exact_repulsion if n <= EXACT_REPULSION_MAX_NODES else _mesh_repulsion
    for _ in range(iterations):
        disp = repel(pos, mass) * mass[:, None]
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta * delta).sum(axis=1))[:, None]
            pull = delta * dist  # d^2 / k with k = 1
            if weight is not None:
                pull *= weight
            _scatter_add(disp, src, -pull)
            _scatter_add(disp, dst, pull)
        # a weak pull to the centre keeps unlinked nodes and small components in view
        disp -= (
            _GRAVITY
            * mass[:, None]
            * pos
            * np.sqrt((pos * pos).sum(axis=1))[:, None]
            / math.sqrt(n)
        )
        length = np.sqrt((disp * disp).sum(axis=1))[:, None]
        np.maximum(length, 1e-9, out=length)
        pos += disp / length * np.minimum(length, temperature)
        temperature -= cooling
    return pos - pos.mean(axis=0)


def _exact_repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Field sum_j mass_j * r_ij / |r_ij|^2 at every node, in row blocks to bound memory."""
    x, y = pos[:, 0], pos[:, 1]
    out = np.empty_like(pos)
    for start in range(0, len(pos), _CHUNK_ROWS):
        dx = x[start : start + _CHUNK_ROWS, None] - x[None, :]
        dy = y[start : start + _CHUNK_ROWS, None] - y[None, :]
        w = dx * dx + dy * dy
        np.maximum(w, 1e-4, out=w)
        np.reciprocal(w, out=w)
        w *= mass[None, :]
        out[start : start + _CHUNK_ROWS, 0] = (dx * w).sum(axis=1)
        out[start : start + _CHUNK_ROWS, 1] = (dy * w).sum(axis=1)
    return out


def _mesh_repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Approximate all-pairs repulsion in O(N + M^2 log M) (particle-mesh method).

    Node masses are spread on an M x M grid (cloud-in-cell), convolved with the kernel
    ``r / |r|^2`` by FFT, and the field is read back at each node; pairs closer than a
    cell and a half, which the grid blurs, get their exact repulsion added from a k-d tree.
    """
    n = len(pos)
    m = int(min(128, max(32, 2 * math.sqrt(n))))
    # the grid covers the bulk of the nodes; far outliers are read at its edge
    lo = np.quantile(pos, 0.01, axis=0)
    span = float((np.quantile(pos, 0.99, axis=0) - lo).max()) or 1.0
    h = span / (m - 2)
    u = np.clip((pos - lo) / h, 0.0, m - 2 - 1e-9)
    i0 = np.floor(u).astype(np.int64)
    f = u - i0
    corners = [(0, 0), (1, 0), (0, 1), (1, 1)]
    weights = [
        (f[:, 0] if a else 1 - f[:, 0]) * (f[:, 1] if b else 1 - f[:, 1]) for a, b in corners
    ]
    flat = [(i0[:, 0] + a) * m + (i0[:, 1] + b) for a, b in corners]
    rho = np.zeros(m * m)
    for idx, w in zip(flat, weights, strict=True):
        rho += np.bincount(idx, weights=w * mass, minlength=m * m)
    size = 2 * m
    padded = np.zeros((size, size))
    padded[:m, :m] = rho.reshape(m, m)
    kx, ky = _mesh_kernels(size)
    rho_hat = np.fft.rfft2(padded)
    field_x = np.fft.irfft2(rho_hat * kx, s=(size, size))[:m, :m].ravel() / h
    field_y = np.fft.irfft2(rho_hat * ky, s=(size, size))[:m, :m].ravel() / h
    out = np.zeros_like(pos)
    for idx, w in zip(flat, weights, strict=True):
        out[:, 0] += field_x[idx] * w
        out[:, 1] += field_y[idx] * w
    pairs = cKDTree(pos).query_pairs(1.5 * h, output_type="ndarray")
    if len(pairs):
        a, b = pairs[:, 0], pairs[:, 1]
        delta = pos[a] - pos[b]
        dist2 = np.maximum((delta * delta).sum(axis=1), 1e-4)[:, None]
        push = delta / dist2
        push_a = push * mass[b][:, None]
        push_b = push * mass[a][:, None]
        _scatter_add(out, a, push_a)
        _scatter_add(out, b, -push_b)
    return out


def _scatter_add(out: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """``out[index] += values`` with repeated indices summed (bincount is ~10x np.add.at)."""
    n = len(out)
    out[:, 0] += np.bincount(index, weights=values[:, 0], minlength=n)
    out[:, 1] += np.bincount(index, weights=values[:, 1], minlength=n)


@functools.lru_cache(maxsize=8)
def _mesh_kernels(size: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the softened kernel r/|r|^2 on a grid of `size` (offsets in wrap-around order)."""
    offsets = np.fft.fftfreq(size, 1.0 / size)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy + 0.5
    return np.fft.rfft2(dx / r2), np.fft.rfft2(dy / r2)


def _pull_in_outliers(pos: np.ndarray) -> np.ndarray:
    """Bring nodes far outside the bulk (unlinked papers) to its rim, so "fit" shows the field."""
    radius = np.sqrt((pos * pos).sum(axis=1))
    limit = float(np.quantile(radius, 0.98)) * 1.08 if len(pos) > 10 else float(radius.max())
    far = radius > limit
    if limit > 0 and far.any():
        pos = pos.copy()
        pos[far] *= (limit / radius[far])[:, None]
    return pos


def _scale(pos: np.ndarray, src: np.ndarray, dst: np.ndarray) -> float:
    """Pixels per layout unit: links about LINK_LENGTH long, nearest neighbours apart enough
    that nodes of the usual size do not cover each other."""
    by_links = LINK_LENGTH / _median_link_length(pos, src, dst)
    if len(pos) < 3:
        return by_links
    nearest, _ = cKDTree(pos).query(pos, k=2)
    spacing = float(np.median(nearest[:, 1]))
    by_spacing = NODE_SPACING / spacing if spacing > 1e-9 else by_links
    return max(by_links, by_spacing)


def _median_link_length(pos: np.ndarray, src: np.ndarray, dst: np.ndarray) -> float:
    if len(src):
        lengths = np.sqrt(((pos[src] - pos[dst]) ** 2).sum(axis=1))
    else:
        diff = (
            pos[:, None, :] - pos[None, :, :]
            if len(pos) <= 500
            else pos[:500, None] - pos[None, :500]
        )
        lengths = np.sqrt((diff**2).sum(axis=-1))
        lengths = lengths[lengths > 0]
    med = float(np.median(lengths)) if len(lengths) else 1.0
    return med if med > 1e-9 else 1.0
