"""implicit-atlas as a library: the curated catalog, the merged citation graph, and what is
computed from it. Everything the command line does is a call into this package.

    >>> from implicit_atlas.graph import load_catalog, build_atlas, save_graph, load_graph
    >>> catalog = load_catalog()                  # data/curated.toml, bundled
    >>> G = build_atlas(catalog)                  # a networkx.DiGraph (offline: bundled data)
    >>> G.nodes["arXiv:1909.01377"]["title"]
    'Deep Equilibrium Models'
    >>> save_graph(G, "atlas/graph.json")         # doctest: +SKIP
    >>> G = load_graph("atlas/graph.json")        # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from .build import build_atlas, summarize, write_atlas
from .catalog import Catalog, CuratedEntry, load_catalog
from .errors import AtlasError, CatalogError, GraphFileError, LookupFailed, OutputError
from .field_sample import load_field_sample
from .graphio import load_graph, save_graph
from .registry import PaperRegistry

try:
    __version__ = version("implicit-atlas")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "AtlasError",
    "Catalog",
    "CatalogError",
    "CuratedEntry",
    "GraphFileError",
    "LookupFailed",
    "OutputError",
    "PaperRegistry",
    "__version__",
    "build_atlas",
    "load_catalog",
    "load_field_sample",
    "load_graph",
    "save_graph",
    "summarize",
    "write_atlas",
]
