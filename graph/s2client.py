"""Moved to :mod:`implicit_atlas.graph.sources.s2`; this name stays so existing imports work."""

from .sources.s2 import *  # noqa: F403
from .sources.s2 import __all__ as __all__
