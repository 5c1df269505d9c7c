"""The map in real headless Chromium, network blocked: what a person opening the file gets.

These tests fail (not skip) when the environment variable CI is set and Chromium is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import Browser, browser_session
from test_map import XSS_IMG, XSS_SCRIPT, sample_graph

from implicit_atlas.graph.htmlmap import MapOptions, write_map

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def browser():
    with browser_session() as session:
        yield session


@pytest.fixture(scope="module")
def bundled_map(bundled_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("map") / "map.html"
    write_map(bundled_graph, out)
    return out


@pytest.fixture(scope="module")
def sample_map(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "sample.html"
    write_map(sample_graph(), out)
    return out


def assert_clean(load) -> None:
    assert load.outside_requests == [], f"the page requested {load.outside_requests}"
    assert load.console_errors == [], f"console errors: {load.console_errors}"


def type_search(browser: Browser, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = browser.driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def test_bundled_map_works_offline(browser: Browser, bundled_map: Path, bundled_graph):
    load = browser.open(bundled_map)
    page = browser.js(
        "var n = atlas.network.body;"
        "return {nodes: atlas.nodes.length, edges: atlas.edges.length,"
        " drawnNodes: n.nodeIndices.length, drawnEdges: n.edgeIndices.length,"
        " legend: document.querySelectorAll('#legend-sections input').length,"
        " search: !!document.getElementById('search'),"
        " stats: document.getElementById('map-stats').textContent}"
    )
    assert page["nodes"] == page["drawnNodes"] == bundled_graph.number_of_nodes()
    assert page["edges"] == page["drawnEdges"] == bundled_graph.number_of_edges()
    # one toggle per colour on the map: each curated section (no paper is far from all of them)
    assert page["legend"] == len(bundled_graph.graph["curated_sections"])
    assert page["search"]
    assert page["stats"].startswith(f"{bundled_graph.number_of_nodes():,} of")

    key = "arXiv:1806.07366"
    title = bundled_graph.nodes[key]["title"]
    type_search(browser, title)
    assert browser.js("return atlas.network.getSelectedNodes()") == [key]
    assert browser.js("return document.getElementById('details-title').textContent") == title
    assert not browser.js("return document.getElementById('details').hidden")
    browser.collect(load)
    assert_clean(load)


def test_hostile_titles_show_as_text_and_run_nothing(browser: Browser, sample_map: Path):
    load = browser.open(sample_map)
    for key, title in (("doi:10.1000/xss", XSS_IMG), ("title:script", XSS_SCRIPT)):
        browser.js("atlas.selectNode(arguments[0])", key)
        assert browser.js("return document.getElementById('details-title').textContent") == title
        hover = _hover(browser, key)
        assert title in hover, "the tooltip shows the title as text"
    assert browser.js("return document.querySelectorAll('#details img, #tooltip img').length") == 0
    assert browser.js("return window.__pwned === undefined")
    links = browser.js("return Array.from(document.querySelectorAll('a')).map(a => a.href)")
    assert not [u for u in links if u.startswith("javascript:")]
    browser.collect(load)
    assert_clean(load)


def test_click_highlights_neighbourhood_and_filters_hide(browser: Browser, sample_map: Path):
    load = browser.open(sample_map)
    _click_node(browser, "doi:10.1000/beta")
    assert browser.js("return atlas.network.getSelectedNodes()") == ["doi:10.1000/beta"]
    assert browser.js("return atlas.highlightMode()") == "overlay"
    shown = _pixels(browser, ["arXiv:2001.00001", "title:lonely"])
    assert _near(shown[0], ALPHA_RGB), "the neighbour keeps its colour"
    assert min(shown[1]) > 220, f"a paper outside the neighbourhood is dimmed: {shown[1]}"

    # double-click opens the paper's first link (window.open stubbed: the network is blocked)
    browser.js("window.open = function (u) { window.__opened = u; }")
    browser.js(
        "atlas.network.body.emitter.emit('doubleClick', {nodes: ['doi:10.1000/beta'], edges: []})"
    )
    assert browser.js("return window.__opened") == "https://doi.org/10.1000/beta"

    # section toggle: hiding "Beta Solvers" hides its curated paper and the papers near it
    total = browser.js("return atlas.nodes.length")
    beta = browser.js("return atlas.data.nodes.filter(n => n.section === 'Beta Solvers').length")
    browser.js(
        "var box = document.querySelector('#legend-sections input[data-key=\"Beta Solvers\"]');"
        "box.click();"
    )
    shown = int(browser.js("return document.getElementById('stat-nodes').textContent"))
    assert shown == total - beta
    # minimum citations: papers with >= 50 citations remain (500 and 50, and extra ones), and
    # those whose count is unknown (unknown is not "fewer")
    browser.js("atlas.resetFilters(); var s = document.getElementById('min-citations');"
               "s.value = '5'; s.dispatchEvent(new Event('input'));")  # fmt: skip
    expected = browser.js(
        "return atlas.data.nodes.filter(n => n.citations === null || n.citations >= 50).length"
    )
    assert int(browser.js("return document.getElementById('stat-nodes').textContent")) == expected
    # year range and physics toggle
    browser.js("atlas.resetFilters(); var s = document.getElementById('year-from');"
               "s.value = '2019'; s.dispatchEvent(new Event('input'));"
               "document.getElementById('physics').click();")  # fmt: skip
    expected = browser.js("return atlas.data.nodes.filter(n => n.year >= 2019).length")
    assert int(browser.js("return document.getElementById('stat-nodes').textContent")) == expected
    browser.collect(load)
    assert_clean(load)


#: "Alpha Layers" is the first section: the first palette colour, #1f77b4
ALPHA_RGB = (0x1F, 0x77, 0xB4)
LONELY_RGB = (0xA8, 0xAD, 0xB4)  # linked to no section: the neutral grey


def _pixels(browser: Browser, keys: list[str]) -> list[tuple[int, int, int]]:
    """The colour drawn at the centre of each paper, read from the map's canvas (physics is
    switched off and the whole map fitted first, so every paper is on screen and still)."""
    rgb = browser.js(
        "var net = atlas.network; net.setOptions({physics: {enabled: false}});"
        "net.fit({animation: false}); net.redraw();"
        "var canvas = document.querySelector('#map canvas'), ctx = canvas.getContext('2d');"
        "var ratio = canvas.width / canvas.clientWidth, pos = net.getPositions(arguments[0]);"
        "return arguments[0].map(function (id) { var p = net.canvasToDOM(pos[id]);"
        " var d = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;"
        " return [d[0], d[1], d[2]]; });",
        keys,
    )
    return [tuple(c) for c in rgb]


def _near(rgb, expected, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, expected, strict=True))


def test_highlight_dims_by_a_veil_and_clearing_restores_the_map(browser: Browser, sample_map):
    """Selecting changes no paper's data (so it costs the same on any map), yet what is drawn
    is dimmed; another selection moves the highlight; clearing brings every colour back."""
    load = browser.open(sample_map)
    keys = ["arXiv:2001.00001", "title:lonely", "doi:10.1000/beta"]
    before = browser.js("return atlas.nodes.get().map(n => JSON.stringify(n.color))")
    browser.js("atlas.selectNode('doi:10.1000/beta', false)")
    alpha, lonely, beta = _pixels(browser, keys)
    assert _near(alpha, ALPHA_RGB) and min(lonely) > 220
    assert browser.js("return atlas.nodes.get().map(n => JSON.stringify(n.color))") == before

    browser.js("atlas.selectNode('title:lonely', false)")  # no links: only itself stays bright
    alpha, lonely, beta = _pixels(browser, keys)
    assert _near(lonely, LONELY_RGB) and min(alpha) > 150 and not _near(alpha, ALPHA_RGB)

    browser.js("atlas.clearSelection()")
    alpha, lonely, beta = _pixels(browser, keys)
    assert _near(alpha, ALPHA_RGB) and _near(lonely, LONELY_RGB)
    assert browser.js("return document.getElementById('details').hidden")
    browser.collect(load)
    assert_clean(load)


def test_recolour_fallback_dims_through_node_colours(browser: Browser, sample_map: Path):
    """The fallback (and the bench's baseline) dims by changing each paper's colour."""
    load = browser.open(sample_map)
    browser.js("atlas.setHighlightMode('recolour'); atlas.selectNode('doi:10.1000/beta', false)")
    colours = browser.js(
        "return ['arXiv:2001.00001', 'title:lonely'].map(id => atlas.nodes.get(id).color.background)"
    )
    assert colours[0] != "#eceef1" and colours[1] == "#eceef1", "neighbour kept, others dimmed"
    browser.js("atlas.clearSelection()")
    assert browser.js("return atlas.nodes.get('title:lonely').color.background") == "#a8adb4"
    browser.collect(load)
    assert_clean(load)


def test_curated_papers_stay_visible_when_zoomed_out(browser: Browser, bundled_map: Path):
    """Zoomed out to a whole-field view, a curated paper is still drawn at least 5 px wide
    in radius; zoomed in, it is back to its own size."""
    load = browser.open(bundled_map)
    radius = (
        "var net = atlas.network; net.moveTo({scale: arguments[0]}); net.emit('zoom', {});"
        "var n = atlas.data.nodes.find(x => x.curated && x.size < 16);"
        "return [net.body.nodes[n.id].options.size * net.getScale(), n.size * net.getScale()];"
    )
    shown, own = browser.js(radius, 0.1)
    assert own < 5 <= shown + 0.01
    shown, own = browser.js(radius, 2.0)
    assert shown == pytest.approx(own)
    browser.collect(load)
    assert_clean(load)


def _set_years(browser: Browser, first: int, last: int) -> tuple[int, str]:
    """Move both year handles as a user would; (papers shown, the range's label)."""
    browser.js(
        "atlas.resetFilters();"
        "var a = document.getElementById('year-from'), b = document.getElementById('year-to');"
        "a.value = String(arguments[0]); a.dispatchEvent(new Event('input'));"
        "b.value = String(arguments[1]); b.dispatchEvent(new Event('input'));",
        first,
        last,
    )
    shown = int(browser.js("return document.getElementById('stat-nodes').textContent"))
    return shown, browser.js("return document.getElementById('year-value').textContent")


def test_year_slider_gives_old_papers_one_earlier_stop(browser: Browser, tmp_path: Path):
    """One 1895 reference must not squeeze the useful years: the slider starts at the 5th
    percentile (2010 here) with one "earlier" stop before it, and the counts stay exact."""
    G = sample_graph()
    G.add_node("title:old", title="A Very Old Reference", year=1895, type="paper")
    G.add_edge("title:extra-0", "title:old", kind="cites")
    out = tmp_path / "years.html"
    write_map(G, out)
    load = browser.open(out)
    slider = browser.js(
        "var a = document.getElementById('year-from');"
        "var bars = Array.from(document.querySelectorAll('#year-histogram .bar'));"
        "return {min: a.min, max: a.max, label: document.getElementById('year-value').textContent,"
        " bars: bars.map(b => [Number(b.dataset.year), Number(b.dataset.count)]),"
        " ticks: Array.from(document.querySelectorAll('#year-ticks span')).map(t => t.textContent)}"
    )
    assert (slider["min"], slider["max"]) == ("2009", "2021")
    assert slider["label"] == "all (1895–2021)"
    assert slider["ticks"][0] == "earlier" and slider["ticks"][-1] == "2021"
    dated = {v: y for v, y in G.nodes(data="year") if isinstance(y, int)}
    assert dict(slider["bars"])[2009] == 1, "the earlier stop counts the 1895 paper"
    assert sum(c for _, c in slider["bars"]) == len(dated), "every dated paper is in one bar"
    undated = G.number_of_nodes() - len(dated)

    assert _set_years(browser, 2009, 2009) == (1, f"1895–2009 · {undated} undated hidden")
    shown, label = _set_years(browser, 2009, 2015)
    assert shown == sum(1 for y in dated.values() if y <= 2015) and label.startswith("1895–2015")
    shown, label = _set_years(browser, 2019, 2021)
    assert shown == sum(1 for y in dated.values() if y >= 2019) and label.startswith("2019–2021")
    shown, label = _set_years(browser, 2009, 2021)
    assert shown == G.number_of_nodes() and label == "all (1895–2021)"
    browser.collect(load)
    assert_clean(load)


def test_copy_bibtex_of_selected_paper(browser: Browser, sample_map: Path):
    load = browser.open(sample_map)
    browser.js("atlas.selectNode('arXiv:2001.00001')")
    assert not browser.js("return document.getElementById('copy-bibtex').disabled")
    browser.js("document.getElementById('copy-bibtex').click()")
    browser.driver.implicitly_wait(0)
    status = ""
    for _ in range(40):
        status = browser.js("return document.getElementById('copy-status').textContent")
        if status:
            break
        browser.js("return 0")
    assert status, "the copy button reports what happened"
    assert browser.js("return document.getElementById('bibtex-text').textContent").startswith("@")
    browser.collect(load)
    assert_clean(load)


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(MapOptions(layout="timeline"), id="timeline"),
        pytest.param(MapOptions(focus="arXiv:1909.01377", hops=2, size="pagerank"), id="focus"),
        pytest.param(MapOptions(section="Optimization", max_nodes=20), id="section-capped"),
    ],
)
def test_other_views_load_cleanly(browser: Browser, bundled_graph, tmp_path: Path, options):
    out = tmp_path / "view.html"
    result = write_map(bundled_graph, out, options)
    load = browser.open(out)
    assert browser.js("return atlas.nodes.length") == result.nodes
    assert browser.js("return atlas.edges.length") == result.edges
    if options.focus:
        focus = browser.js("return atlas.data.focus")
        assert browser.js("return atlas.nodes.get(arguments[0]).borderWidth", focus) == 4
        legend = browser.js("return document.getElementById('legend-size').textContent")
        assert (
            "Thick black outline: Deep Equilibrium Models, the paper this map is centred on"
            in legend
        )
    else:
        assert "centred on" not in browser.js(
            "return document.getElementById('legend-size').textContent"
        )
    if options.max_nodes == 20:
        assert result.left_out > 0, "the capped view does leave papers out"
    if result.left_out:
        note = browser.js("return document.getElementById('map-left-out').textContent")
        assert note.startswith(f"{result.left_out:,} less central papers")
    assert_clean(load)


def _dom_position(browser: Browser, key: str) -> tuple[float, float]:
    browser.js("atlas.network.moveTo({position: atlas.network.getPositions([arguments[0]])"
               "[arguments[0]], scale: 1.0})", key)  # fmt: skip
    pos = browser.js(
        "var p = atlas.network.getPositions([arguments[0]])[arguments[0]];"
        "return atlas.network.canvasToDOM(p);",
        key,
    )
    return pos["x"], pos["y"]


def _pointer_to(browser: Browser, key: str):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    x, y = _dom_position(browser, key)
    area = browser.driver.find_element(By.ID, "map")
    rect = browser.js("return document.getElementById('map').getBoundingClientRect().toJSON()")
    dx = int(x - rect["width"] / 2)
    dy = int(y - rect["height"] / 2)
    return ActionChains(browser.driver).move_to_element_with_offset(area, dx, dy)


def _click_node(browser: Browser, key: str) -> None:
    _pointer_to(browser, key).pause(0.1).click().perform()


def _hover(browser: Browser, key: str) -> str:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser.driver).move_by_offset(0, 0).perform()
    _pointer_to(browser, key).pause(0.3).perform()
    text = ""
    for _ in range(20):
        text = browser.js(
            "var t = document.getElementById('tooltip'); return t.hidden ? '' : t.textContent"
        )
        if text:
            break
        _pointer_to(browser, key).pause(0.1).perform()
    return text


@pytest.mark.parametrize("size", [0, 1], ids=["empty", "one-paper"])
def test_degenerate_graphs_load_cleanly(browser: Browser, tmp_path: Path, size: int):
    import networkx as nx

    G = nx.DiGraph()
    if size:
        G.add_node("title:only", title="The Only Paper")
    out = tmp_path / "tiny.html"
    write_map(G, out)
    load = browser.open(out)
    assert browser.js("return atlas.nodes.length") == size
    assert_clean(load)


def test_png_screenshot(sample_map: Path, tmp_path: Path):
    import struct

    from browser import require_browser

    from implicit_atlas.graph.htmlmap import write_png

    chromium, _ = require_browser()
    png = write_png(sample_map, tmp_path / "shot.png", width=800, height=500, chromium=chromium)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (800, 500)


def _axis_in_view(browser: Browser) -> dict[str, bool]:
    """Whether the timeline's first column ("undated"/"earlier"), last year and bands are on
    screen (with their labels), in DOM pixels of the map's canvas."""
    return browser.js(
        """
        var ax = atlas.data.timeline, net = atlas.network;
        var box = document.getElementById('map').getBoundingClientRect();
        var first = ax.columns[0], last = ax.columns[ax.columns.length - 1];
        var top = Math.min.apply(null, ax.bands.map(function (b) { return b.top; }));
        var bottom = Math.max.apply(null, ax.bands.map(function (b) { return b.bottom; }));
        var a = net.canvasToDOM({x: first.x - 60, y: top - 60});
        var b = net.canvasToDOM({x: last.x + 60, y: bottom});
        return {left: a.x >= 0, top: a.y >= 0, right: b.x <= box.width, bottom: b.y <= box.height};
        """
    )


def _eventually_in_view(browser: Browser, expected: dict[str, bool], seconds: float = 10.0) -> bool:
    """Poll (a loaded machine may take long over the 400 ms animation) instead of sleeping."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _axis_in_view(browser) == expected:
            return True
        time.sleep(0.1)
    return False


def test_timeline_shows_its_whole_axis_on_load_resize_and_fit(
    browser: Browser, bundled_graph, tmp_path: Path
):
    """vis-network fits the papers only: the axis labels at the edges were cut off, and a
    page resized before it was first looked at kept the old view."""
    from selenium.webdriver.common.by import By

    out = tmp_path / "timeline.html"
    write_map(bundled_graph, out, MapOptions(layout="timeline"))
    everything = {"left": True, "top": True, "right": True, "bottom": True}
    browser.open(out)
    assert _axis_in_view(browser) == everything
    size = browser.driver.get_window_size()
    try:
        browser.driver.set_window_size(size["width"] - 300, size["height"])
        assert _eventually_in_view(browser, everything), "not refitted after a resize"
        browser.js("atlas.network.moveTo({scale: 2.5})")
        assert _axis_in_view(browser) != everything
        browser.driver.find_element(By.ID, "fit").click()
        assert _eventually_in_view(browser, everything), "Fit to view left the axis cut off"
    finally:
        browser.driver.set_window_size(size["width"], size["height"])


def test_the_legend_lists_the_subsections_under_their_section(browser: Browser, bundled_map: Path):
    load = browser.open(bundled_map)
    assert_clean(load)
    rows = browser.js(
        "return Array.from(document.querySelectorAll('#legend-sections .legend-subsections li'))"
        ".map(function (li) { return li.textContent; })"
    )
    assert rows == ["Neural ODEs6", "Deep Equilibrium Models2", "Optimization2"]
