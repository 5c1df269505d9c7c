"""Entity resolution: precision and recall on the labelled pairs, and what the stage costs.

    python bench/bench_merge.py [--records 20000] [--repeat 3]

Quality: every pair of tests/data/merge_pairs.json (records from the bundled data and
Semantic Scholar-shaped pairs, labelled "same" or "different") is judged twice — by the
pairwise rule alone (identity.same_work) and by grouping all labelled records at once
(resolve.resolve_records, where groups are transitive and vetoes act between groups).
Precision = merged pairs that are truly one work / merged pairs; recall = true pairs merged /
true pairs.

Cost: the resolution stage (blocking, scoring, grouping, versions, best author names) on the
bundled field sample and on a generated graph of `--records` papers, as a ratio to the baseline
measured in the same run: the registry adding the same records and emitting the graph with
`to_graph(resolve=False)` (merging by identifiers only).
Also reported: how many candidate pairs blocking leaves, against all n(n-1)/2 pairs.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from implicit_atlas.graph.field_sample import load_field_sample, sample_record
from implicit_atlas.graph.identity import same_work, work_profile
from implicit_atlas.graph.registry import PaperRegistry
from implicit_atlas.graph.resolve import candidate_pairs, resolve_records

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "merge_pairs.json"


def precision_recall(predicted: list[bool], truth: list[bool]) -> tuple[float, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def quality() -> None:
    pairs = json.loads(PAIRS.read_text("utf-8"))["pairs"]
    truth = [p["label"] == "same" for p in pairs]
    pairwise = [same_work(p["a"], p["b"]).same for p in pairs]

    records: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    ends: list[tuple[int, int]] = []
    for p in pairs:
        both = []
        for side in ("a", "b"):
            ref = p[f"{side}_id"] or json.dumps(p[side], sort_keys=True)
            if ref not in index:
                index[ref] = len(records)
                records.append(p[side])
            both.append(index[ref])
        ends.append((both[0], both[1]))
    group_of = {i: n for n, g in enumerate(resolve_records(records)) for i in g}
    grouped = [a in group_of and group_of[a] == group_of.get(b) for a, b in ends]

    print(f"labelled pairs: {len(pairs)} ({sum(truth)} same, {len(truth) - sum(truth)} different)")
    for name, predicted in (("pairwise rule", pairwise), ("grouped", grouped)):
        p, r = precision_recall(predicted, truth)
        print(f"  {name:14s} precision {p:.3f}  recall {r:.3f}")
        for pair, guess, true in zip(pairs, predicted, truth, strict=True):
            if guess != true:
                print(f"    {'false merge' if guess else 'missed'}: {pair['why']}")


# --- cost -------------------------------------------------------------------------------------

WORDS = ("neural implicit equilibrium ordinary differential equations optimization layers "
         "Lipschitz convex monotone operator stochastic adjoint Jacobian learning dynamics "
         "control flows deep networks models graph time series robust fast").split()  # fmt: skip
SURNAMES = [f"{name}{i}" for name in ("chen", "wang", "li", "kolter", "amos", "bai", "smith")
            for i in range(400)]  # fmt: skip


def generated_records(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` paper records; one in ten is a second version of an earlier one (new title form)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(n):
        if out and rng.random() < 0.1:
            base = rng.choice(out)
            out.append({**base, "arxiv": None, "title": base["title"] + ": extended",
                        "venue": "NeurIPS", "s2_id": f"{i:040x}"})  # fmt: skip
            continue
        out.append({
            "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize(),
            "authors": [f"A. {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 5))],
            "year": rng.randint(1995, 2025),
            "venue": rng.choice(["arXiv", "ICML", "JMLR", None]),
            "arxiv": f"{2000 + i // 90000}.{i % 90000:05d}",
        })  # fmt: skip
    return out


def best_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def registry_of(records: list[dict[str, Any]]) -> PaperRegistry:
    reg = PaperRegistry()
    for rec in records:
        reg.add_paper(rec, "field-sample")
    return reg


def cost(name: str, records: list[dict[str, Any]], repeat: int) -> None:
    def without_resolution() -> None:
        registry_of(records).to_graph(resolve=False)

    def with_resolution() -> None:
        registry_of(records).to_graph()

    base = best_time(without_resolution, repeat)
    full = best_time(with_resolution, repeat)
    n = len(records)
    pairs = len(candidate_pairs([work_profile(r) for r in records if r.get("title")]))
    print(
        f"{name}: {n} records, {pairs} candidate pairs of {n * (n - 1) // 2} "
        f"({pairs / max(1, n * (n - 1) // 2):.2e}); registry {base:.2f} s, with resolution "
        f"{full:.2f} s (x{full / base:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000, help="generated graph size")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    quality()
    sample = [sample_record(row) for row in load_field_sample().papers]
    cost("bundled field sample", sample, args.repeat)
    cost("generated", generated_records(args.records), args.repeat)


if __name__ == "__main__":
    main()
