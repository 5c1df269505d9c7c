"""The map's card shows how complete a paper's reference list is, per service (a build with
OpenAlex), in real headless Chromium, network blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import Browser, browser_session
from test_map import sample_graph
from test_map_browser import assert_clean

from implicit_atlas.graph.htmlmap import MapOptions, write_map

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def completeness_map(tmp_path_factory) -> Path:
    G = sample_graph()
    G.add_node("title:deq", title="Deep Equilibrium Models", authors=["Shaojie Bai"], year=2019,
               type="paper", refs_by_s2=15, refs_by_openalex=12, refs_union=18,
               reference_count=17, openalex_reference_count=20)  # fmt: skip
    G.add_node("title:lben", title="Lipschitz Bounded Equilibrium Networks", type="paper",
               year=2020, refs_by_s2=0, refs_by_openalex=3, refs_union=3)  # fmt: skip
    for key in ("title:deq", "title:lben"):
        G.add_edge(key, "arXiv:2001.00001", kind="cites")
    out = tmp_path_factory.mktemp("completeness") / "map.html"
    write_map(G, out, MapOptions())
    return out


def test_the_card_says_references_per_service_their_union_and_the_stated_count(
    completeness_map: Path,
):
    with browser_session() as browser:
        load = browser.open(completeness_map)
        assert _card_line(browser, "title:deq") == (
            "References: S2 15, OpenAlex 12, union 18 of stated 20"
        )
        assert _card_line(browser, "title:lben") == "References: S2 0, OpenAlex 3, union 3"
        assert _card_line(browser, "arXiv:2001.00001") is None, "built without OpenAlex"
        browser.collect(load)
    assert_clean(load)


def _card_line(browser: Browser, node: str) -> str | None:
    browser.js("atlas.selectNode(arguments[0], false)", node)
    return browser.js(
        "return Array.from(document.querySelectorAll('#details-body p'))"
        ".map(p => p.textContent).find(t => t.startsWith('References:')) || null"
    )
