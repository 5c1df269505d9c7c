"""Benchmark of `implicit-atlas map` on synthetic citation graphs of 500, 2,000 and 5,000 papers.

For each size it reports the HTML file size, the time to generate the file, the time until
the page is drawn in headless Chromium (network blocked), and what a click costs. Three
baselines are measured in the same run, on the same graphs, and reported as ratios:

* layout: networkx ``spring_layout`` (same number of iterations) against our precomputed
  layout (:func:`implicit_atlas.graph.layout.force_layout`);
* page: the same page with vis-network's physics on (the layout computed in the browser, what
  pyvis does by default) against ours (positions precomputed, physics off above 300 nodes);
* click: re-colouring every paper to dim it (the page's first highlight, kept as its fallback)
  against the veil the page paints over the map (only the neighbourhood redrawn on top).

    python bench/bench_map.py                 # 500, 2000, 5000 nodes
    python bench/bench_map.py --sizes 500 2000 --no-baseline-above 2000
    python bench/bench_map.py --sizes 5000 --no-baseline-above 0 --page-of 6363753

``--page-of REV`` adds one more baseline: the same data drawn by the page (script, styles and
template) of git revision REV, opened in turn with today's page, so a change to the page can
be judged against the page it replaces under the same machine load.

Needs Chromium + chromedriver + selenium for the page timings (tests/browser.py starts them).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from implicit_atlas.graph import layout  # noqa: E402
from implicit_atlas.graph.graphio import atomic_write_text  # noqa: E402
from implicit_atlas.graph.htmlmap import MapOptions, map_data, render_document  # noqa: E402

SECTIONS = ["Neural ODEs", "Deep equilibrium", "Optimization layers", "Software", "Tutorials"]


def synthetic_atlas(n: int, seed: int = 1) -> nx.DiGraph:
    """A citation graph shaped like the bundled one: papers in year order cite 1-3 earlier
    ones, preferring already-cited papers; the 30 most cited are curated in 5 sections."""
    rng = random.Random(seed)
    G = nx.DiGraph(curated_sections=list(SECTIONS), schema=1)
    in_deg: list[int] = []
    for i in range(n):
        year = 1990 + (i * 35) // n
        G.add_node(f"p{i}", title=f"Synthetic paper {i} on implicit layers", year=year,
                   authors=[f"Author {i % 97}", f"Author {i % 89}"], type="paper")  # fmt: skip
        in_deg.append(0)
        if i:
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                j = rng.choices(range(i), weights=[d + 1 for d in in_deg[:i]])[0]
                if not G.has_edge(f"p{i}", f"p{j}"):
                    G.add_edge(f"p{i}", f"p{j}", kind="cites", is_influential=rng.random() < 0.1)
                    in_deg[j] += 1
    for i, d in enumerate(in_deg):
        G.nodes[f"p{i}"]["citation_count"] = d * 10 + rng.randint(0, 20)
    top = sorted(range(n), key=lambda i: -in_deg[i])[:30]
    for rank, i in enumerate(top):
        G.nodes[f"p{i}"].update(curated=True, section=SECTIONS[rank % len(SECTIONS)])
    return G


def time_it(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


#: select the best-connected paper, draw, clear, draw (each draw a full redraw, as the next
#: frame would do); the median of five rounds, in ms
CLICK_SCRIPT = """
var id = atlas.data.nodes[0].id, net = atlas.network, times = [];
atlas.setHighlightMode(arguments[0]);
net.fit();
for (var round = 0; round < 5; round++) {
  var t = performance.now();
  atlas.selectNode(id, false); net.redraw(); atlas.clearSelection(); net.redraw();
  times.push(performance.now() - t);
}
times.sort(function (a, b) { return a - b; });
return times[2];
"""
#: one full redraw of the map, the floor under any click (software rendering in headless Chromium)
REDRAW_SCRIPT = """
var times = [];
atlas.network.fit();
for (var round = 0; round < 5; round++) {
  var t = performance.now(); atlas.network.redraw(); times.push(performance.now() - t);
}
times.sort(function (a, b) { return a - b; });
return times[2];
"""


def page_timing(browser, path: Path, timeout: float, *, clicks: bool = True) -> dict[str, float]:
    """ms from navigation start to the map's ready mark; with `clicks`, ms for one
    select-draw-clear-draw round trip with the page's highlight ("overlay": a veil painted over
    the map, the neighbourhood redrawn on top) and with the old one ("recolour": every paper
    re-coloured), measured on the same page."""
    load = browser.open(path, wait_ready=timeout)
    timing = {"ready_ms": float(browser.js("return window.atlasReadyMs"))}
    if clicks:
        timing["redraw_ms"] = float(browser.js(REDRAW_SCRIPT))
        timing["click_recolour_ms"] = float(browser.js(CLICK_SCRIPT, "recolour"))
        timing["click_ms"] = float(browser.js(CLICK_SCRIPT, "overlay"))
    browser.collect(load)
    if load.outside_requests or load.console_errors:
        raise SystemExit(f"{path}: requests {load.outside_requests}, errors {load.console_errors}")
    return timing


def render_with_page_of(data: dict, revision: str) -> str:
    """The page of git `revision` (its map.js, map.css and map.html) around today's data."""
    from implicit_atlas.graph import htmlmap

    root = Path(__file__).resolve().parent.parent
    old = {
        name: subprocess.run(
            ["git", "show", f"{revision}:graph/{name}"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout
        for name in ("assets/map.js", "assets/map.css", "templates/map.html")
    }  # fmt: skip
    asset, template = htmlmap._asset, htmlmap._template
    htmlmap._asset = lambda name: old[f"assets/{name}"]  # type: ignore[assignment]
    htmlmap._template = lambda name: old[f"templates/{name}"]  # type: ignore[assignment]
    try:
        return render_document(data)
    finally:
        htmlmap._asset, htmlmap._template = asset, template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument(
        "--no-baseline-above",
        type=int,
        default=5000,
        help="skip the networkx and physics-on baselines above this many nodes",
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--page-of",
        metavar="REV",
        help="also time the page of this git revision on the same data (a baseline)",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()

    browser = None
    if not args.no_browser:
        from browser import Browser, find_binaries

        chromium, driver = find_binaries()
        if chromium and driver:
            browser = Browser(chromium, driver)
        else:
            print("no Chromium/chromedriver: page timings skipped", file=sys.stderr)
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
            for n in args.sizes:
                G = synthetic_atlas(n)
                row: dict[str, float | int | None] = {"nodes": n, "edges": G.number_of_edges()}
                data, gen_s = time_it(map_data, G, MapOptions(max_nodes=n))
                html, render_s = time_it(render_document, data)
                path = Path(tmp) / f"map-{n}.html"
                _, write_s = time_it(atomic_write_text, path, html)
                row["generate_s"] = round(gen_s + render_s + write_s, 2)
                row["file_mb"] = round(path.stat().st_size / 1e6, 2)

                nodes = list(G)
                groups = {v: G.nodes[v].get("section") for v in nodes}
                _, ours_s = time_it(layout.force_layout, G, nodes, groups=groups)
                row["layout_s"] = round(ours_s, 2)
                baseline = n <= args.no_baseline_above
                if baseline:
                    iterations = 120 if n <= 2000 else 80
                    _, nx_s = time_it(nx.spring_layout, G, seed=1, iterations=iterations)
                    row["nx_spring_s"] = round(nx_s, 2)
                    row["layout_speedup"] = round(nx_s / ours_s, 1)
                if browser is not None:
                    ours = page_timing(browser, path, timeout=120)
                    row.update({f"page_{k}": round(v) for k, v in ours.items()})
                    row["click_speedup"] = round(ours["click_recolour_ms"] / ours["click_ms"], 1)
                    if args.page_of:
                        old_path = Path(tmp) / f"map-{n}-old.html"
                        atomic_write_text(old_path, render_with_page_of(data, args.page_of))
                        old = page_timing(browser, old_path, timeout=120)
                        again = page_timing(browser, path, timeout=120)
                        row["old_page_ready_ms"] = round(old["ready_ms"])
                        row["old_page_click_ms"] = round(old["click_ms"])
                        row["page_ready_ms_again"] = round(again["ready_ms"])
                        row["page_click_ms_again"] = round(again["click_ms"])
                    if baseline:
                        physics = dict(data, physics=True)
                        slow_path = Path(tmp) / f"map-{n}-physics.html"
                        atomic_write_text(slow_path, render_document(physics))
                        slow = page_timing(browser, slow_path, timeout=300, clicks=False)
                        row["physics_on_ready_ms"] = round(slow["ready_ms"])
                        row["ready_speedup"] = round(slow["ready_ms"] / ours["ready_ms"], 1)
                rows.append(row)
                print(json.dumps(row), flush=True)
    finally:
        if browser is not None:
            browser.quit()
    print()
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def print_table(rows: list[dict]) -> None:
    columns = [
        ("nodes", "nodes"),
        ("edges", "edges"),
        ("file_mb", "file MB"),
        ("generate_s", "generate s"),
        ("layout_s", "layout s"),
        ("nx_spring_s", "nx spring s"),
        ("layout_speedup", "layout x"),
        ("page_ready_ms", "ready ms"),
        ("physics_on_ready_ms", "physics-on ready ms"),
        ("ready_speedup", "ready x"),
        ("page_redraw_ms", "one redraw ms"),
        ("page_click_recolour_ms", "click, recolour-all ms"),
        ("page_click_ms", "click ms"),
        ("click_speedup", "click x"),
        ("old_page_ready_ms", "old page ready ms"),
        ("old_page_click_ms", "old page click ms"),
        ("page_ready_ms_again", "ready ms, again"),
        ("page_click_ms_again", "click ms, again"),
    ]
    print("| " + " | ".join(title for _, title in columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row.get(key, "-")) for key, _ in columns) + " |")


if __name__ == "__main__":
    main()
