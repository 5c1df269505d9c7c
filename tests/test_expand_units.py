"""The pieces of the S2 expansion that need no server: ids, records, filters, display."""

from __future__ import annotations

import io

import pytest

from implicit_atlas.graph.expand import (
    ExpandOptions,
    Progress,
    S2Settings,
    format_report,
    paper_record,
    s2_ids,
)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param({"arxiv": "1806.07366v2"}, ["ARXIV:1806.07366"], id="arxiv"),
        pytest.param(
            {"doi": "https://doi.org/10.1137/20M1358517", "s2_id": "A" * 40},
            ["a" * 40, "DOI:10.1137/20m1358517"],
            id="s2-id-first",
        ),
        pytest.param(
            {"url": "https://www.semanticscholar.org/paper/Foo/" + "c" * 40},
            ["URL:https://www.semanticscholar.org/paper/Foo/" + "c" * 40],
            id="s2-url",
        ),
        pytest.param({"url": "https://www.sciencedirect.com/x"}, [], id="url-s2-cannot-read"),
        pytest.param({"title": "Only a title"}, [], id="title-only"),
    ],
)
def test_s2_ids(record, expected):
    assert s2_ids(record) == expected


def test_paper_record_maps_s2_fields_and_tolerates_nulls():
    paper = {
        "paperId": "d" * 40,
        "externalIds": {"ArXiv": "1806.07366", "DOI": "10.48550/arXiv.1806.07366", "CorpusId": 7},
        "corpusId": 7,
        "title": "Neural Ordinary Differential Equations",
        "authors": [
            {"authorId": "1", "name": "Ricky T. Q. Chen"},
            {"authorId": None, "name": None},
        ],
        "year": 2018,
        "venue": "",
        "citationCount": 5000,
        "referenceCount": 60,
        "publicationTypes": None,
        "abstract": None,
    }
    rec = paper_record(paper, fetched_at=1_700_000_000)
    assert rec["arxiv"] == "1806.07366" and rec["s2_id"] == "d" * 40 and rec["corpus_id"] == 7
    assert rec["authors"] == ["Ricky T. Q. Chen"]
    assert rec["venue"] is None and rec["abstract"] is None and "type" not in rec
    assert rec["citation_count"] == 5000 and rec["citation_count_as_of"] == "2023-11-14"
    bare = paper_record({"paperId": "e" * 40, "externalIds": None, "authors": None}, 0)
    assert bare["authors"] == [] and bare["citation_count_as_of"] is None


def test_filters():
    opts = ExpandOptions(min_citations=10, year_from=2015, year_to=2020)
    assert opts.passes({"citationCount": 10, "year": 2015})
    assert not opts.passes({"citationCount": 9, "year": 2016})
    assert not opts.passes({"citationCount": None, "year": 2016})
    assert not opts.passes({"citationCount": 50, "year": 2021})
    assert not opts.passes({"citationCount": 50, "year": None}), "unknown year fails a year filter"
    assert ExpandOptions().passes({"citationCount": None, "year": None})
    assert ExpandOptions(direction="citations").kinds == ("citations",)
    with pytest.raises(ValueError):
        ExpandOptions(depth=3)
    with pytest.raises(ValueError):
        ExpandOptions(direction="sideways")


def test_settings_never_expose_the_key():
    public = S2Settings(api_key="secret").public()
    assert "secret" not in repr(public) and public["api_key_set"] is True


def test_progress_writes_lines_and_quiet_writes_nothing():
    stream = io.StringIO()
    progress = Progress(stream)
    progress.show("suppressed: the first update waits one interval")
    progress.show("S2 depth 1: 3 resolved", force=True)
    progress.show("suppressed: too soon")
    progress.note("Semantic Scholar is unreachable")
    assert stream.getvalue().splitlines() == [
        "S2 depth 1: 3 resolved",
        "Semantic Scholar is unreachable",
    ]
    Progress(None).show("nothing")  # no stream: no error, no output


def test_format_report_says_what_was_left_out():
    report = {
        "mode": "online",
        "resolved": {"a": "x"},
        "unresolved": {"b": "no paper is titled 'B'"},
        "papers_added": 10,
        "edges_added": 12,
        "filtered_out": 3,
        "requests": 4,
        "cache_hits": 2,
        "retries": 1,
        "not_cached": 0,
        "unresolved_references": 5,
        "truncated": [{"paper": "a", "citation_count": 12000, "listed": 9999}],
        "stopped": "the request budget (4) is spent; raise --max-requests",
        "left_out": ["citations of a"],
        "errors": [],
    }
    text = format_report(report)
    assert "1/2 curated papers resolved; 10 papers and 12 edges added" in text
    assert "4 made, 2 served from the cache, 1 retries" in text
    assert "citations of a truncated: 12000 citations" in text
    assert "unresolved b: no paper is titled 'B'" in text
    assert "stopped early: the request budget (4)" in text and "left out: citations of a" in text


def test_paper_record_keeps_volume_and_pages_for_the_bibliography():
    from implicit_atlas.graph.expand import paper_record

    paper = {
        "paperId": "a" * 40,
        "title": "T",
        "journal": {
            "name": "Journal of Machine Learning Research",
            "volume": " 21 ",
            "pages": "1-42",
        },
    }
    record = paper_record(paper, 0.0)
    assert (record["volume"], record["pages"]) == ("21", "1-42")
    assert "volume" not in paper_record({"paperId": "b" * 40, "journal": {"name": "X"}}, 0.0)
    assert "pages" not in paper_record({"paperId": "c" * 40, "journal": None}, 0.0)
