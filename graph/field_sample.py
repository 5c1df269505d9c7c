"""The bundled field sample: real citation facts for the curated papers, with their evidence.

`data/field-sample/` holds `papers.jsonl`, `edges.jsonl` and `SOURCES.md` (how every fact was
obtained). They are loaded unchanged as an offline source whose edges carry
``source = "field-sample"``, the evidence text and the scope of the reference list.
"""

from __future__ import annotations

import importlib.resources
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CatalogError
from .registry import PaperRegistry
from .schema import EDGE_CITES, SOURCE_FIELD_SAMPLE

# the sample's BibTeX-derived types -> ours
_TYPES = {
    "paper": ("paper", None),
    "phdthesis": ("thesis", "phd"),
    "mastersthesis": ("thesis", "masters"),
    "book": ("book", None),
    "misc": ("misc", None),
}


@dataclass
class FieldSample:
    papers: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    path: Path


def default_field_sample_dir() -> Path:
    return Path(str(importlib.resources.files("implicit_atlas.data").joinpath("field-sample")))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CatalogError(f"cannot read field sample file {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{path}:{number}: not a JSON line ({exc.msg})") from exc
    return rows


def load_field_sample(directory: str | os.PathLike[str] | None = None) -> FieldSample:
    """Read papers.jsonl and edges.jsonl from `directory` (default: the bundled sample)."""
    d = Path(directory) if directory is not None else default_field_sample_dir()
    return FieldSample(_read_jsonl(d / "papers.jsonl"), _read_jsonl(d / "edges.jsonl"), d)


def sample_record(row: dict[str, Any]) -> dict[str, Any]:
    """A field-sample paper row as a registry record."""
    typ, degree = _TYPES.get(row.get("type") or "paper", ("misc", None))
    return {
        "title": row.get("title"),
        "authors": list(row.get("authors") or []),
        "year": row.get("year"),
        "venue": row.get("venue"),
        "type": typ,
        "degree": degree,
        "arxiv": row.get("arxiv"),
        "doi": row.get("doi"),
        "s2_id": row.get("s2_paper_id"),
        "citation_count": row.get("citation_count"),
        "citation_count_as_of": row.get("citation_count_as_of"),
    }


def add_field_sample(registry: PaperRegistry, sample: FieldSample) -> dict[str, int]:
    """Merge the sample into `registry`; return counts of papers and edges added."""
    handles: dict[str, int] = {}
    for row in sample.papers:
        handles[row["id"]] = registry.add_paper(
            sample_record(row), SOURCE_FIELD_SAMPLE, fallback_key=row["id"]
        )
    for edge in sample.edges:
        try:
            citing, cited = handles[edge["citing"]], handles[edge["cited"]]
        except KeyError as exc:
            raise CatalogError(
                f"{sample.path / 'edges.jsonl'}: edge names unknown paper {exc.args[0]!r}"
            ) from None
        registry.add_edge(
            citing,
            cited,
            kind=EDGE_CITES,
            provenance={
                "source": SOURCE_FIELD_SAMPLE,
                "evidence": edge.get("evidence"),
                "scope": edge.get("scope"),
            },
        )
    return {"papers": len(sample.papers), "edges": len(sample.edges)}
