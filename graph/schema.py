"""The shape of an atlas graph: what every node and edge carries.

An atlas is a :class:`networkx.DiGraph`. Every module that reads one (exports, maps,
related-paper signals) relies on the attributes below, so they are named here once.

Node key
    A stable identifier string, chosen by :func:`implicit_atlas.graph.identity.node_key` in
    this order: ``arXiv:<id>``, ``doi:<lowercased doi>``, ``s2:<paperId>``,
    ``corpus:<CorpusId>``, ``repo:github.com/<owner>/<name>`` (software), ``url:<url>``,
    then the field sample's own id or ``title:<normalised title>``.

Node attributes (absent or ``None`` when unknown; lists may be empty)
    ``title`` str, ``authors`` list[str] ("First Last" as printed), ``year`` int,
    ``venue`` str, ``volume`` and ``pages`` str (Semantic Scholar's journal record),
    ``type`` one of :data:`NODE_TYPES`, ``degree`` ("phd"/"masters", theses),
    ``arxiv``, ``doi``, ``s2_id``, ``corpus_id`` (int), ``url`` (landing page or repository),
    ``primary_class`` (arXiv category), ``abstract`` (from Semantic Scholar only),
    ``citation_count`` int and ``citation_count_as_of`` ("YYYY-MM-DD"),
    ``reference_count`` int, ``influential_citation_count`` int,
    ``citations_truncated`` bool (the API could not list every citation),
    ``curated`` bool, ``curated_key`` (the table name in curated.toml), ``section``,
    ``subsection`` (the list's headings below the section, joined by " / "),
    ``venue_label`` (as the list prints it, e.g. "NeurIPS18"), ``note`` ("best paper award"),
    ``sources`` list[str] (which sources contributed: "curated", "field-sample",
    "semantic-scholar"), ``bib_key`` (the citation key, stored by ``write_atlas`` so that a
    rebuilt atlas keeps it; see bibtex.stamp_bib_keys).

Edge ``u -> v`` attributes
    ``kind``: ``"cites"`` (u cites v) or ``"implements"`` (software u implements paper v).
    ``provenance``: list of ``{"source": ..., "evidence": ..., "scope": ...}`` dicts, one per
    source that reports the edge (scope is the field sample's ``full_reference_list`` /
    ``seed_edges_only``; ``None`` elsewhere).
    ``sources``: sorted list of the provenance sources, for quick filtering.
    ``is_influential`` bool or None, ``intents`` list[str], ``contexts`` list[str]
    (Semantic Scholar only).

Graph attributes (``G.graph``)
    ``schema`` int, ``built_at`` ISO timestamp, ``sources`` list, ``options`` dict,
    ``curated_sections`` list[str] in list order, ``curated_subsections`` dict
    (section -> its subsections in list order), ``offline`` bool, ``summary`` dict.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

NODE_TYPES = ("paper", "thesis", "book", "software", "tutorial", "misc")

EDGE_CITES = "cites"
EDGE_IMPLEMENTS = "implements"
EDGE_KINDS = (EDGE_CITES, EDGE_IMPLEMENTS)

SOURCE_CURATED = "curated"
SOURCE_FIELD_SAMPLE = "field-sample"
SOURCE_S2 = "semantic-scholar"
