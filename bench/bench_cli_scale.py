"""Whole commands on a depth-2 field graph: wall time and peak memory, store vs graph.json.

Generates a citation world (tests/s2server.py), serves it on loopback, and runs the real
`implicit-atlas build --depth 2` on 20 curated seeds (cold, filling the response cache).
Then every step is timed as its own process, with its peak resident memory (wait4):

* ``warm build``: the same build again into a new folder, every answer from the cache
  (the full merge);
* ``warm rebuild``: that build again into the same folder, nothing changed (this branch
  keeps the store: see docs/store.md);
* ``related ID --top 20`` (twice: the second call finds the persisted indexes);
* ``bib --scope all -o FILE``;
* ``map -o FILE`` (default 1,500 papers).

Each step runs twice in the same run: with this branch's code (``--ref``, default ``HEAD``)
on its graph store, and with the baseline code (``--baseline-ref``, default ``main``: today's
graph.json path), each laid out from git into a temporary folder and run with the same
interpreter and libraries (so editing the checkout during a long run changes nothing). The
outputs of both must be equal (related text, BibTeX, map HTML); the table gives both and
their ratio.

    python bench/bench_cli_scale.py            # 10,000-paper world (a few minutes)
    python bench/bench_cli_scale.py --full     # the issue's 50,000-paper world (~43k papers)
    python bench/bench_cli_scale.py --full --builds-only   # the full merge (and rebuild) only

The graph stores both warm builds write are compared too (their tables byte for byte, their
manifests but for the build time and fingerprint): a faster merge must write the same graph.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from s2server import FakeGraph, S2Server, curated_toml, generate_graph  # noqa: E402


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stdout: str


def run_command(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `argv` as a child process: wall time and peak RSS, measured by GNU time.

    GNU time forks the command from its own small process: a child forked straight from
    this one (which holds the served world) would report this process's memory as its peak.
    """
    with tempfile.TemporaryDirectory() as folder:
        usage, out, err = (Path(folder) / name for name in ("usage", "out", "err"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            code = subprocess.call(
                ["/usr/bin/time", "-f", "%e %M", "-o", str(usage), *argv],
                stdout=stdout,
                stderr=stderr,
                env=env,
            )
        if code != 0:
            raise SystemExit(
                f"{' '.join(argv[:6])}... failed ({code}):\n"
                + err.read_text("utf-8", "replace")[-3000:]
            )
        seconds, peak_kb = usage.read_text().split()[-2:]
        return Run(float(seconds), int(peak_kb) / 1024, out.read_text("utf-8", "replace"))


class Code:
    """How to run one version of the CLI: this checkout, or a git ref laid out in a folder."""

    def __init__(self, label: str, base: Path | None = None) -> None:
        self.label = label
        self.env = dict(os.environ)
        if base is None:
            self.prefix = [sys.executable, "-m", "implicit_atlas.cli"]
        else:
            # -S skips site-packages' .pth files (this checkout's editable install); the
            # libraries come from the same site-packages, put on the path by hand.
            site = sysconfig.get_paths()["purelib"]
            self.env["PYTHONPATH"] = os.pathsep.join([str(base), site])
            self.prefix = [sys.executable, "-S", "-m", "implicit_atlas.cli"]

    def __call__(self, *args: str) -> Run:
        return run_command([*self.prefix, *args], self.env)


def lay_out_ref(ref: str, folder: Path) -> Path:
    """The package of git `ref` as importable `implicit_atlas.{graph,cli,data}` in `folder`."""
    package = folder / "implicit_atlas"
    package.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "graph", "cli", "data"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    return folder


def field_world(n_papers: int) -> FakeGraph:
    """A world like a real field's neighbourhood: papers with ~40 references each, and three
    seeds cited by thousands (3%, 6% and 21% of the world) whose citers cite ~55 older papers.

    At 50,000 papers, 20 seeds at depth 2 give the issue's regime (~10^4-10^5 papers,
    ~10^6 citations).
    """
    scale = n_papers / 50_000
    big = {0: round(1_500 * scale), 1: round(3_000 * scale), 2: round(10_500 * scale)}
    g = generate_graph(n_papers, 20, seed=2026, refs_per_paper=(20, 60), big_citations=big)
    rng = random.Random(2026)
    papers = list(g.papers)
    older = papers[: n_papers * 3 // 5]
    for citer in papers[n_papers:]:
        for cited in rng.sample(older, rng.randint(30, 80)):
            g.cite(citer, cited, rng)
    return g.finish()


def query_of(g: FakeGraph) -> str:
    """An id `related` resolves: the first seed with an arXiv id (else its S2 url)."""
    for pid in g.seeds:
        ext = g.papers[pid].get("externalIds") or {}
        if ext.get("ArXiv"):
            return str(ext["ArXiv"])
    return f"https://www.semanticscholar.org/paper/{g.seeds[0]}"


def same_output(a: bytes | str, b: bytes | str) -> bool:
    """Equal once the build timestamps (two builds, two times) are set aside."""
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
    as_text = [x.decode("utf-8") if isinstance(x, bytes) else x for x in (a, b)]
    return stamp.sub("T", as_text[0]) == stamp.sub("T", as_text[1])


def size_mb(graph: Path) -> float:
    """The graph's size on disk: graph.json, or the store's manifest and tables."""
    files = [graph]
    tables = graph.with_name(graph.stem + ".store")
    if tables.is_dir():
        files += [p for p in tables.glob("*.parquet")]
    return sum(p.stat().st_size for p in files) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000, help="papers of the world")
    parser.add_argument("--full", action="store_true", help="the issue's 50,000-paper world")
    parser.add_argument("--baseline-ref", default="main", help="git ref of the baseline code")
    parser.add_argument(
        "--ref", default="HEAD", help="git ref of the code measured (laid out like the baseline)"
    )
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument(
        "--builds-only",
        action="store_true",
        help="time the builds only (the full merge and the rebuild), not the commands after",
    )
    args = parser.parse_args()
    n_papers = 50_000 if args.full else args.papers

    t0 = time.perf_counter()
    g = field_world(n_papers)
    print(
        f"world: {len(g.papers):,} papers, 20 seeds, generated in {time.perf_counter() - t0:.0f}s"
    )
    gc.collect()
    gc.freeze()  # the served world is millions of objects; keep the collector off them

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = args.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        catalog = tmp / "curated.toml"
        catalog.write_text(curated_toml(g, unresolvable=False, titles=False), encoding="utf-8")
        new = Code(args.ref, lay_out_ref(args.ref, tmp / "measured"))
        old = Code(args.baseline_ref, lay_out_ref(args.baseline_ref, tmp / "base"))
        with S2Server(g) as srv:
            common = [
                "build", "--depth", "2", "--curated", str(catalog), "--no-field-sample",
                "--api-url", srv.url, "--api-key", "bench", "--rps", "1000000", "--source", "s2",
                "--cache-dir", str(tmp / "cache"), "--quiet",
            ]  # fmt: skip
            cold = new(*common, "--out", str(tmp / "cold"))
            print(f"cold build (fills the cache): {cold.seconds:.0f} s, {cold.peak_mb:.0f} MB")
            rows: list[tuple[str, Run, Run]] = []
            warm_new = new(*common, "--out", str(tmp / "new"))
            warm_old = old(*common, "--out", str(tmp / "old"))
            rows.append(("warm build, new folder (full merge)", warm_old, warm_new))
            again_new = new(*common, "--out", str(tmp / "new"))
            again_old = old(*common, "--out", str(tmp / "old"))
            rows.append(("warm rebuild, same folder, nothing changed", again_old, again_new))
            if again_new.stdout != warm_new.stdout:
                raise SystemExit("the rebuild that kept the store printed another summary")
        print(warm_new.stdout.splitlines()[0])
        graph_new, graph_old = store_path(tmp / "new"), store_path(tmp / "old")
        same = {"graph store": same_store(graph_old, graph_new)}
        if args.builds_only:
            print_rows(old.label, new.label, rows, same)
            return
        query = query_of(g)
        related_args = ["related", query, "--top", "20"]
        first_old = old(*related_args, "--graph", str(graph_old))
        first_new = new(*related_args, "--graph", str(graph_new))
        rows.append((f"related {query} --top 20 (1st)", first_old, first_new))
        rows.append(
            (
                "related (2nd call)",
                old(*related_args, "--graph", str(graph_old)),
                new(*related_args, "--graph", str(graph_new)),
            )
        )
        same["related"] = same_output(first_old.stdout, first_new.stdout)
        bib = {}
        for code, graph, label in ((old, graph_old, "old"), (new, graph_new, "new")):
            bib[label] = code(
                "bib", "--scope", "all", "--graph", str(graph), "-o", str(tmp / f"{label}.bib")
            )
        rows.append(("bib --scope all", bib["old"], bib["new"]))
        same["bib"] = same_output((tmp / "old.bib").read_bytes(), (tmp / "new.bib").read_bytes())
        maps = {}
        for code, graph, label in ((old, graph_old, "old"), (new, graph_new, "new")):
            maps[label] = code("map", "--graph", str(graph), "-o", str(tmp / f"{label}.html"))
        rows.append(("map", maps["old"], maps["new"]))
        same["map"] = same_output((tmp / "old.html").read_bytes(), (tmp / "new.html").read_bytes())
        if graph_old.suffix == ".json":  # a baseline from before the store
            json_new = new(*related_args, "--graph", str(graph_old))
            rows.append(("related on an old graph.json", first_old, json_new))

        print_rows(old.label, new.label, rows, same)
        print(
            f"| on disk | {graph_old.name} {size_mb(graph_old):.0f} MB | "
            f"{graph_new.name} {size_mb(graph_new):.0f} MB | "
            f"{size_mb(graph_old) / size_mb(graph_new):.1f}x |"
        )


def print_rows(
    old_label: str, new_label: str, rows: list[tuple[str, Run, Run]], same: dict[str, bool | None]
) -> None:
    """The table of steps (time and peak memory of both, their ratios) and the comparisons."""
    print(
        f"\n| step | {old_label} s / MB | {new_label} s / MB | time ratio | memory ratio |\n"
        "|---|---|---|---|---|"
    )
    for name, before, after in rows:
        print(
            f"| {name} | {before.seconds:.1f} / {before.peak_mb:.0f} | "
            f"{after.seconds:.1f} / {after.peak_mb:.0f} | "
            f"{before.seconds / after.seconds:.1f}x | {before.peak_mb / after.peak_mb:.1f}x |"
        )
    verdict = {True: "yes", False: "NO", None: "not compared (a graph.json baseline)"}
    print("same output: " + ", ".join(f"{k} {verdict[v]}" for k, v in same.items()))


def same_store(old: Path, new: Path) -> bool | None:
    """Whether two builds wrote the same graph store: the same tables byte for byte (the
    manifest names them by the hash of their bytes) and the same manifest, build time and
    input fingerprint aside (the code differs). None when the baseline wrote a graph.json."""
    if old.suffix != ".atlas" or new.suffix != ".atlas":
        return None
    manifests = [json.loads(path.read_text("utf-8")) for path in (old, new)]
    for manifest in manifests:
        for key in ("built_at", "fingerprint"):
            manifest["meta"].pop(key, None)
    return manifests[0] == manifests[1]


def store_path(out_dir: Path) -> Path:
    """The graph `build` wrote into `out_dir`: the store if this version writes one."""
    for name in ("graph.atlas", "graph.json"):
        if (out_dir / name).exists():
            return out_dir / name
    raise SystemExit(f"no graph in {out_dir}")


if __name__ == "__main__":
    main()
