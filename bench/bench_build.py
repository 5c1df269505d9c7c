"""How many requests `build` makes, against the least the API allows, and how long local work takes.

Runs the real build (client, cache, expansion, registry) against the loopback S2 server of
tests/s2server.py on a generated graph: 20 seeds, ~50k papers, three seeds with more than
1,000 citations and one beyond the API's 9,999. For depth 1 and depth 2 it reports:

- requests made (cold cache) / the lower bound, where the lower bound is
  ceil(seeds/500) batch calls to resolve the seeds, plus one call per 1,000 references or
  citations of each seed (at most 9,999 readable), plus at depth 2 ceil(n/500) batch calls
  for the n depth-1 neighbours' reference lists (plus one page per 1,000 references of a list
  longer than the 1,000 a batch reply holds) and ceil(m/500) for the m new papers they cite;
- requests made with a warm cache (must be 0);
- the same at depth 2 against a server answering ``null`` for 10% of known ids in every batch
  (``--null-rate``), as S2 does under load: the nulls are asked again, so the graph must equal
  the clean one, at a few extra requests;
- local processing time: a warm-cache build (every answer read from SQLite, parsed, merged,
  written), per 1,000 papers, and as a share of what the cold run costs at 1 request/second.

    python bench/bench_build.py            # full size (a minute or two)
    python bench/bench_build.py --small    # quick check
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from s2server import FakeGraph, S2Server, curated_toml, generate_graph  # noqa: E402

from implicit_atlas.graph.build import build_with_s2, write_atlas  # noqa: E402
from implicit_atlas.graph.catalog import load_catalog  # noqa: E402
from implicit_atlas.graph.expand import ExpandOptions, S2Settings  # noqa: E402


def lower_bound(g: FakeGraph, depth: int) -> int:
    """The fewest requests that can fetch this expansion (see the module docstring)."""
    seeds = set(g.seeds)
    calls = math.ceil(len(seeds) / 500)
    neighbours: set[str] = set()
    for pid in g.seeds:
        refs = [e["cited"] for e in g.references[pid]]
        cites = [e["citing"] for e in g.citations[pid]]
        for lst in (refs, cites):
            calls += math.ceil(min(len(lst), 9999) / 1000)
        neighbours |= {r for r in refs if r}
        neighbours |= set(cites[:9999])
    neighbours -= seeds
    if depth == 2:
        known = seeds | neighbours
        listed = [p for p in neighbours if g.references[p]]
        new = {e["cited"] for p in listed for e in g.references[p] if e["cited"]} - known
        calls += math.ceil(len(listed) / 500) + math.ceil(len(new) / 500)
        # a batch reply holds 1,000 references of a paper; longer lists are paged apart
        calls += sum(
            math.ceil(len(g.references[p]) / 1000) for p in listed if len(g.references[p]) > 1000
        )
    return calls


def run(
    g: FakeGraph, catalog: Path, cache: Path, out: Path, depth: int, null_rate: float = 0.0
) -> tuple[dict, float, float, int, int]:
    """One build: (S2 report, seconds building, seconds writing graph.json, nodes, edges)."""
    with S2Server(g, null_rate=null_rate) as srv:
        settings = S2Settings(api_url=srv.url, api_key="bench", rps=1e6, cache_dir=str(cache))
        start = time.perf_counter()
        G = build_with_s2(
            load_catalog(catalog),
            settings=settings,
            options=ExpandOptions(depth=depth),
            field_sample=False,
        )
        built = time.perf_counter()
        write_atlas(G, out)
        written = time.perf_counter()
    report = G.graph["summary"]["steps"]["semantic-scholar"]
    return report, built - start, written - built, G.number_of_nodes(), G.number_of_edges()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a 5k-paper graph, for a quick run")
    parser.add_argument(
        "--null-rate", type=float, default=0.1, help="share of batch answers set to null"
    )
    args = parser.parse_args()
    n_papers = 5_000 if args.small else 50_000
    big = {0: 1_500, 1: 3_000, 2: 10_500} if not args.small else {0: 1_500, 1: 10_100}
    t0 = time.perf_counter()
    g = generate_graph(n_papers, 20, seed=2026, refs_per_paper=(5, 30), big_citations=big)
    print(f"generated {len(g.papers):,} papers, 20 seeds in {time.perf_counter() - t0:.1f}s")
    # The served graph lives in this process (millions of objects); a real build has no such
    # neighbour, so keep the garbage collector from walking it during the measured builds.
    gc.collect()
    gc.freeze()
    print(
        "depth    papers  lower  cold  ratio  warm | cold build s | warm build s  ms/1k  vs 1 rps"
        " | write s  ms/1k  vs 1 rps"
    )
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "curated.toml"
        catalog.write_text(curated_toml(g, unresolvable=False, titles=False), encoding="utf-8")
        sizes: dict[int, tuple[int, int]] = {}
        for depth, nulls in ((1, 0.0), (2, 0.0), (2, args.null_rate)):
            cache = Path(tmp) / f"cache{depth}-{nulls}"
            cold, cold_s, _, nodes, edges = run(g, catalog, cache, Path(tmp) / "cold", depth, nulls)
            warm, warm_s, write_s, _, _ = run(g, catalog, cache, Path(tmp) / "warm", depth)
            bound = lower_bound(g, depth)
            label = f"{depth}" if not nulls else f"{depth} {nulls:.0%}n"
            if not nulls:
                sizes[depth] = (nodes, edges)
            elif sizes[depth] != (nodes, edges):
                label += " LOST"  # the graph must equal the clean build's
            one_rps = cold["requests"] * 1.0  # seconds the cold run takes at 1 request/second
            per_k = nodes / 1000
            print(
                f"{label:>8} {nodes:>7,} {bound:>6} {cold['requests']:>5} "
                f"{cold['requests'] / bound:>6.3f} {warm['requests']:>5} | {cold_s:>12.2f} | "
                f"{warm_s:>12.2f} {1000 * warm_s / per_k:>6.0f} {warm_s / one_rps:>8.1%} | "
                f"{write_s:>7.2f} {1000 * write_s / per_k:>6.0f} {write_s / one_rps:>8.1%}"
            )
    print(
        "cold: empty cache, loopback server, no rate limit; warm: same build again, every answer "
        "from the cache (= local work); write: graph.json; 'n': batches answer null for that "
        "share of known ids (LOST: the graph differs from the clean build)"
    )


if __name__ == "__main__":
    main()
