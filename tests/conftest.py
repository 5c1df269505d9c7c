"""Shared fixtures: the graph built from the bundled data, once per test session."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from implicit_atlas.graph import build_atlas, save_graph


@pytest.fixture(scope="session")
def bundled_graph() -> nx.DiGraph:
    """The atlas built offline from data/curated.toml and data/field-sample (do not mutate)."""
    return build_atlas(offline=True)


@pytest.fixture(scope="session")
def bundled_graph_file(bundled_graph: nx.DiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled atlas saved as graph.json, as `implicit-atlas build` writes it."""
    path = tmp_path_factory.mktemp("atlas") / "graph.json"
    save_graph(bundled_graph, path)
    return path
