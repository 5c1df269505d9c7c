"""Acronyms learned from the corpus: the table on the bundled data, and what learning costs.

Prints the acronyms `graph.signals.graph_acronyms` learns from the bundled data (with the
candidates it left without an expansion), then times ``build_text_index`` with the acronyms
as written (``acronyms="none"``: the index before this change) and in the shipped form, in
the same run, on three corpora:

- the bundled data (~1,460 titles);
- a generated world as bench/bench_cli_scale.py's ``--full`` (47,000 papers, titles and
  abstracts of tests/s2server.py: field words, no acronym written in capitals);
- the bundled titles repeated up to 47,000 papers (numbered), so a big corpus full of
  acronyms and their expansions is timed too.

Each time is the best of ``--repeat`` runs, the two variants alternating.

    python bench/bench_acronyms.py [--papers 47000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import networkx as nx

from implicit_atlas.graph import build_atlas, load_catalog
from implicit_atlas.graph.acronyms import acronym_candidates
from implicit_atlas.graph.signals import ACRONYM_FORM, build_text_index, graph_acronyms

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from s2server import paper_id, paper_record_for  # noqa: E402


def generated_world(papers: int) -> nx.DiGraph:
    rng = random.Random(2026)
    G = nx.DiGraph()
    for i in range(papers):
        record = paper_record_for(i, paper_id(i), rng)
        G.add_node(record["paperId"], title=record["title"], abstract=record["abstract"])
    return G


def repeated(G: nx.DiGraph, papers: int) -> nx.DiGraph:
    titles = [t for _, t in G.nodes(data="title") if t]
    H = nx.DiGraph()
    for i in range(papers):
        H.add_node(f"p{i}", title=f"{titles[i % len(titles)]} {i // len(titles)}")
    return H


def best_time(G: nx.DiGraph, acronyms: str) -> float:
    start = time.perf_counter()
    build_text_index(G, acronyms=acronyms)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=47_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    bundled = build_atlas(load_catalog())
    table = graph_acronyms(bundled)
    titles = [t for _, t in bundled.nodes(data="title")]
    unexpanded = sorted(acronym_candidates(titles) - set(table))
    print(f"acronyms learned from the bundled data ({len(bundled)} papers): {len(table)}")
    for acronym, run in table.items():
        print(f"  {acronym:<8}{' '.join(run)}")
    print(f"capital words left without an expansion ({len(unexpanded)}): {', '.join(unexpanded)}")

    corpora = {
        "bundled data": bundled,
        f"generated world ({args.papers:,})": generated_world(args.papers),
        f"bundled titles x{args.papers // len(bundled)}": repeated(bundled, args.papers),
    }
    print(f"\nbuild_text_index, best of {args.repeat} (as written vs {ACRONYM_FORM!r})")
    print(f"{'corpus':<32}{'learned':>8}{'as written':>12}{'acronyms':>12}{'ratio':>8}")
    for name, G in corpora.items():
        times: dict[str, list[float]] = {"none": [], ACRONYM_FORM: []}
        for _ in range(args.repeat):
            for form in times:
                times[form].append(best_time(G, form))
        before, after = min(times["none"]), min(times[ACRONYM_FORM])
        learned = len(graph_acronyms(G))
        print(f"{name:<32}{learned:>8}{before:>11.2f}s{after:>11.2f}s{after / before:>7.2f}x")


if __name__ == "__main__":
    main()
