"""Shared fixtures: the graph built from the bundled data, once per test session, and the
isolation that keeps every test off the internet."""

from __future__ import annotations

import socket
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def refused_url() -> Iterator[str]:
    """A loopback address that refuses every connection at once: a port bound, never listened on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(autouse=True)
def no_public_api(monkeypatch: pytest.MonkeyPatch, refused_url: str) -> None:
    """No test reaches a public API: both services default to a refusing loopback address
    unless the test names its own (``--api-url``/``--openalex-url`` or its own env)."""
    monkeypatch.setenv("S2_API_URL", refused_url)
    monkeypatch.setenv("OPENALEX_API_URL", refused_url)
