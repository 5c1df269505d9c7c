"""A warm full merge phase by phase, in one process: where a build with an input changed
spends its time (CPU seconds, the machine is shared) and its peak memory.

Needs a world kept by the scale bench (its catalog and the filled response cache):

    python bench/bench_cli_scale.py --full --builds-only --keep /tmp/world
    python bench/bench_build_phases.py /tmp/world [--out /tmp/phases-out]

The build is `build --depth 2 --source s2` into a new folder, every answer from the cache (the
API url is a dead one: nothing is asked). The table gives each phase's CPU seconds (nested
phases indented), then the content hash of the tables written and a hash of the build metadata
(summary, step reports; build time and fingerprint aside), to compare two versions' output.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from implicit_atlas.graph import authors, bibtex, build, expand, registry, store
from implicit_atlas.graph.catalog import load_catalog
from implicit_atlas.graph.expand import ExpandOptions, S2Settings

PHASES: list[tuple[Any, str, str]] = [
    (expand.S2Expansion, "__call__", "S2 expansion (cached answers into the registry)"),
    (registry.PaperRegistry, "to_graph", "to_graph"),
    (registry.PaperRegistry, "resolve_works", "  entity resolution"),
    (registry.PaperRegistry, "_citing_works", "  citing works (for author names)"),
    (authors.AuthorNames, "__init__", "  author names: index"),
    (authors.AuthorNames, "best_list", "  author names: best forms"),
    (registry.PaperRegistry, "_add_edges", "  edges into networkx"),
    (build, "annotate_reference_coverage", "reference coverage"),
    (build, "summarize", "summary"),
    (bibtex, "stamp_bib_keys", "citation keys"),
    (store, "save_store", "store write"),
]


def timed(owner: Any, name: str, label: str, seconds: dict[str, float]) -> None:
    """Wrap `owner.name` to add its CPU time to `seconds[label]`."""
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[label] = seconds.get(label, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("world", type=Path, help="a folder kept by bench_cli_scale.py --keep")
    parser.add_argument("--out", type=Path, help="build into this folder (default: a temporary)")
    args = parser.parse_args()
    seconds: dict[str, float] = {}
    for owner, name, label in PHASES:
        timed(owner, name, label, seconds)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "atlas"
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu = time.perf_counter(), time.process_time()
        build.build_into(
            out,
            load_catalog(args.world / "curated.toml"),
            settings=S2Settings(
                api_url="http://127.0.0.1:9",
                api_key="bench",
                rps=1e6,
                cache_dir=str(args.world / "cache"),
            ),  # fmt: skip
            options=ExpandOptions(depth=2),
            field_sample=False,
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        manifest = json.loads((out / "graph.atlas").read_text("utf-8"))
    print(f"graph: {manifest['nodes']:,} nodes, {manifest['edges']:,} edges")
    print("| phase | CPU s |\n|---|---|")
    for _, _, label in PHASES:
        print(f"| {label} | {seconds.get(label, 0.0):.2f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| whole build (in process) | {cpu:.2f} (wall {wall:.2f}), peak {peak:.0f} MB |")
    meta = {k: v for k, v in manifest["meta"].items() if k not in ("built_at", "fingerprint")}
    digest = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:20]
    print(f"tables: {manifest['content']}, metadata and summary: {digest}")


if __name__ == "__main__":
    main()
