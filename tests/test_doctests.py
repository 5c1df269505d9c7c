"""The `>>>` examples in graph/ modules are run, under the namespaced import
(implicit_atlas.graph...), so they cannot drift from the code.

pytest's own --doctest-modules would import graph/*.py by file path, as a second top-level
package `graph` with its own classes (see docs/design.md, "The package layout"); importing the
modules by their installed names and running doctest on them avoids that.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import implicit_atlas.graph as graph_package

MODULES = sorted(
    f"implicit_atlas.graph.{m.name}"
    for m in pkgutil.iter_modules(graph_package.__path__)
    if not m.ispkg
)


@pytest.mark.parametrize("name", ["implicit_atlas.graph", *MODULES])
def test_docstring_examples_run(name: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_most_modules_have_examples() -> None:
    with_examples = [
        name
        for name in MODULES
        if doctest.DocTestFinder().find(importlib.import_module(name))
        and any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name)))
    ]
    assert len(with_examples) >= 20, with_examples
