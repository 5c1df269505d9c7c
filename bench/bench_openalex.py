"""How many requests the OpenAlex step makes, against the least the API allows.

Runs the real build (`build --source s2,openalex`: S2 first, then OpenAlex) against the
loopback servers of tests/s2server.py and tests/openalex_server.py on one generated
literature: 20 seeds, two with more than 1,000 citations. For depth 1 and 2 it reports the
OpenAlex requests made cold and warm against the lower bound:

- ceil(seeds/100) filter calls to resolve the seeds by DOI (every seed has one here);
- ceil(r/100) calls for the records of the r works the seeds reference;
- one page per 100 citing works of each seed (one call for a seed nobody cites);
- at depth 2, ceil(m/100) calls for the m new works the depth-1 neighbours reference.

The goal (issue 15): requests / lower bound <= 1.05 cold, 0 warm. Every OpenAlex request
here is a metered list call, so the same numbers are the metered calls spent.

    python bench/bench_openalex.py            # 20,000 papers
    python bench/bench_openalex.py --small    # quick check
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from openalex_server import OA, OpenAlexServer, OpenAlexWorld, from_s2  # noqa: E402
from s2server import FakeGraph, S2Server, curated_toml, generate_graph  # noqa: E402

from implicit_atlas.graph.build import build_with_s2  # noqa: E402
from implicit_atlas.graph.catalog import load_catalog  # noqa: E402
from implicit_atlas.graph.expand import ExpandOptions, S2Settings  # noqa: E402
from implicit_atlas.graph.openalex_expand import OpenAlexSettings  # noqa: E402


def lower_bound(g: FakeGraph, world: OpenAlexWorld, depth: int) -> int:
    seeds = [world.of_s2[p] for p in g.seeds]
    refs = {r.removeprefix(OA) for w in seeds for r in world.works[w]["referenced_works"]}
    calls = math.ceil(len(seeds) / 100) + math.ceil(len(refs - set(seeds)) / 100)
    calls += sum(max(1, math.ceil(len(world.citing[w]) / 100)) for w in seeds)
    if depth == 2:
        depth1 = (refs | {c for w in seeds for c in world.citing[w]}) - set(seeds)
        new = {r.removeprefix(OA) for w in depth1 for r in world.works[w]["referenced_works"]}
        calls += math.ceil(len(new - depth1 - set(seeds)) / 100)
    return calls


def run(g: FakeGraph, world: OpenAlexWorld, catalog: Path, cache: Path, depth: int) -> dict:
    with S2Server(g) as s2, OpenAlexServer(world) as oa:
        G = build_with_s2(
            load_catalog(catalog),
            settings=S2Settings(api_url=s2.url, api_key="bench", rps=1e6, cache_dir=str(cache)),
            openalex=OpenAlexSettings(
                api_url=oa.url, api_key="bench", rps=1e6, cache_dir=str(cache)
            ),
            sources=("s2", "openalex"),
            options=ExpandOptions(depth=depth),
            field_sample=False,
        )
    report = G.graph["summary"]["steps"]["openalex"]
    report["nodes"] = G.number_of_nodes()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a 3k-paper world, for a quick run")
    args = parser.parse_args()
    n_papers = 3_000 if args.small else 20_000
    t0 = time.perf_counter()
    g = generate_graph(
        n_papers, 20, seed=2026, refs_per_paper=(5, 30), big_citations={0: 1_500, 1: 2_300},
        missing_field_rate=0.0,
    )  # fmt: skip
    for n, pid in enumerate(g.seeds):  # OpenAlex resolves curated papers by DOI
        ext = g.papers[pid]["externalIds"]
        if not ext.get("DOI") and not ext.get("ArXiv"):
            ext["DOI"] = f"10.5555/seed.{n}"
            g.add_paper(g.papers[pid])
    world = from_s2(g, seed=1)
    print(f"generated {len(g.papers):,} papers, 20 seeds in {time.perf_counter() - t0:.1f}s")
    print("depth   nodes  lower  cold  ratio  warm  edges from openalex")
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "curated.toml"
        catalog.write_text(curated_toml(g, unresolvable=False, titles=False), encoding="utf-8")
        for depth in (1, 2):
            cache = Path(tmp) / f"cache{depth}"
            cold = run(g, world, catalog, cache, depth)
            warm = run(g, world, catalog, cache, depth)
            bound = lower_bound(g, world, depth)
            print(
                f"{depth:>5} {cold['nodes']:>7,} {bound:>6} {cold['requests']:>5} "
                f"{cold['requests'] / bound:>6.3f} {warm['requests']:>5}  {cold['edges_added']:,}"
            )
    print("cold: empty caches; warm: the same build again (every OpenAlex answer from its cache)")


if __name__ == "__main__":
    main()
