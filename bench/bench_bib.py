"""BibTeX export of a generated 10,000-entry graph, against plain bibtexparser in the same run.

    python bench/bench_bib.py [--entries 10000] [--repeat 3]

The baseline builds one bibtexparser Entry per node from the raw attributes (authors joined
with " and ", no escaping, no key or version logic) and writes them with ``write_string``:
the least work any bibtexparser-based writer can do. implicit-atlas adds keys over the whole
graph, preprint/venue collapse, entry-type choice, LaTeX escaping and capital protection.
Reported: best wall time of `repeat` runs and peak traced memory (tracemalloc) of one run,
each as a ratio to the baseline.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
import tracemalloc
from collections.abc import Callable

import bibtexparser
import networkx as nx
from bibtexparser.middlewares import default_unparse_stack
from bibtexparser.model import Entry, Field

from implicit_atlas.graph.bibtex import build_bibliography
from implicit_atlas.graph.latex import parse_name

WORDS = ("neural implicit equilibrium ODEs OptNet differentiable optimization layers "
         "Lipschitz convex monotone operator stochastic adjoint Jacobian-free & 50% $x_1$ "
         "Schrödinger Müller {braces} learning dynamics control flows").split()  # fmt: skip
FIRST = ("Ricky T. Q.", "Brandon", "J. Zico", "Balthasar", "Jürgen", "Juan", "Shaojie", "Zoë",
         "Yulia", "David", "Ann", "Li")  # fmt: skip
LAST = ("Chen", "Amos", "Kolter", "van der Pol", "Müller", "de la Cruz", "Bai", "Łukasz",
        "Rubanova", "Duvenaud", "O'Neil", "Smith-Jones")  # fmt: skip
VENUES = (
    "NeurIPS", "ICML", "ICLR", "Neural Information Processing Systems", "arXiv", None,
    "Journal of Machine Learning Research", "IEEE Transactions on Automatic Control",
)  # fmt: skip


def generated_graph(n: int, seed: int = 0) -> nx.DiGraph:
    rng = random.Random(seed)
    G = nx.DiGraph()
    for i in range(n):
        venue = rng.choice(VENUES)
        G.add_node(
            f"arXiv:{2000 + i // 10000}.{i % 10000:05d}",
            title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10))).capitalize(),
            authors=[
                f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.randint(1, 300)}"
                for _ in range(rng.randint(1, 5))
            ],  # ~3,600 distinct names
            year=rng.choice([None, *range(1990, 2026)]),
            venue=venue,
            arxiv=f"{2000 + i // 10000}.{i % 10000:05d}",
            type="paper",
            doi=f"10.1000/x{i}" if rng.random() < 0.3 else None,
        )
    return G


def plain_bibtexparser(G: nx.DiGraph) -> str:
    entries = []
    for i, (_, attrs) in enumerate(G.nodes(data=True)):
        fields = [Field("author", " and ".join(attrs["authors"])), Field("title", attrs["title"])]
        if attrs.get("venue"):
            fields.append(Field("journal", attrs["venue"]))
        if attrs.get("year"):
            fields.append(Field("year", str(attrs["year"])))
        entries.append(Entry("article", f"k{i}", fields))
    # in-place middlewares: the fastest way bibtexparser writes a library it can discard
    return bibtexparser.write_string(
        bibtexparser.Library(entries),
        unparse_stack=default_unparse_stack(allow_inplace_modification=True),
    )


def implicit_atlas(G: nx.DiGraph) -> str:
    parse_name.cache_clear()  # every run starts cold, as a fresh `implicit-atlas bib` does
    return build_bibliography(G).text()


def best_time(fn: Callable[[nx.DiGraph], str], G: nx.DiGraph, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn(G)
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(fn: Callable[[nx.DiGraph], str], G: nx.DiGraph) -> int:
    gc.collect()
    tracemalloc.start()
    fn(G)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    G = generated_graph(args.entries)
    results = {}
    for name, fn in (
        ("plain bibtexparser", plain_bibtexparser),
        ("implicit-atlas", implicit_atlas),
    ):
        results[name] = (best_time(fn, G, args.repeat), peak_memory(fn, G), fn(G).count("\n@"))
    base_time, base_mem, _ = results["plain bibtexparser"]
    print(f"BibTeX export of {args.entries:,} generated entries (best of {args.repeat})")
    print(
        f"{'writer':<20} {'time s':>8} {'x base':>7} {'peak MiB':>9} {'x base':>7} {'entries':>8}"
    )
    for name, (seconds, peak, count) in results.items():
        print(
            f"{name:<20} {seconds:>8.2f} {seconds / base_time:>7.2f} "
            f"{peak / 2**20:>9.1f} {peak / base_mem:>7.2f} {count + 1:>8,}"
        )


if __name__ == "__main__":
    main()
