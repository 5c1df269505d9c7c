from implicit_atlas.graph.registry import PaperRegistry

S2 = "semantic-scholar"


def test_shared_identifier_merges_and_keeps_every_id_and_source():
    reg = PaperRegistry()
    a = reg.add_paper({"title": "Deep Equilibrium Models", "arxiv": "1909.01377"}, "curated")
    b = reg.add_paper(
        {
            "title": "Deep equilibrium models",
            "arxiv": "1909.01377v3",
            "s2_id": "f" * 40,
            "doi": "10.5555/3454287.3454482",
            "authors": ["Shaojie Bai", "J. Zico Kolter", "V. Koltun"],
            "citation_count": 500,
            "citation_count_as_of": "2026-11-01",
        },
        S2,
    )
    assert reg.same(a, b)
    G = reg.to_graph()
    assert list(G.nodes) == ["arXiv:1909.01377"]
    node = G.nodes["arXiv:1909.01377"]
    assert node["title"] == "Deep Equilibrium Models", "curated title wins"
    assert node["doi"] == "10.5555/3454287.3454482" and node["s2_id"] == "f" * 40
    assert node["authors"] == ["Shaojie Bai", "J. Zico Kolter", "V. Koltun"]
    assert node["sources"] == ["curated", S2]


def test_title_match_merges_only_when_years_and_authors_agree():
    reg = PaperRegistry()
    lecun = reg.add_paper(
        {"title": "Deep learning", "year": 2015, "authors": ["Y. LeCun", "Y. Bengio", "G. Hinton"]},
        "field-sample",
        fallback_key="title:deep learning [lecun 2015]",
    )
    goodfellow = reg.add_paper(
        {
            "title": "Deep Learning",
            "year": 2016,
            "authors": ["Ian Goodfellow", "Yoshua Bengio", "Aaron Courville"],
        },
        "field-sample",
        fallback_key="title:deep learning [goodfellow 2016]",
    )
    again = reg.add_paper({"title": "Deep learning.", "year": 2015, "authors": ["Yann LeCun"]}, S2)
    assert not reg.same(lecun, goodfellow)
    assert reg.same(lecun, again)
    assert set(reg.to_graph().nodes) == {
        "title:deep learning [lecun 2015]",
        "title:deep learning [goodfellow 2016]",
    }


def test_newer_citation_count_wins():
    reg = PaperRegistry()
    reg.add_paper(
        {"arxiv": "1806.07366", "citation_count": 3942, "citation_count_as_of": "2024-07-22"},
        "field-sample",
    )
    reg.add_paper(
        {"arxiv": "1806.07366", "citation_count": 5000, "citation_count_as_of": "2026-11-28"}, S2
    )
    reg.add_paper(
        {"arxiv": "1806.07366", "citation_count": 10, "citation_count_as_of": "2020-01-01"},
        "field-sample",
    )
    node = reg.to_graph().nodes["arXiv:1806.07366"]
    assert (node["citation_count"], node["citation_count_as_of"]) == (5000, "2026-11-28")


def test_a_late_identifier_joins_two_known_records():
    reg = PaperRegistry()
    preprint = reg.add_paper({"title": "Some preprint", "arxiv": "2101.00001"}, "field-sample")
    venue = reg.add_paper({"title": "Its venue version", "doi": "10.1000/abc"}, "field-sample")
    assert not reg.same(preprint, venue)
    reg.update(venue, {"arxiv": "2101.00001"}, S2)
    assert reg.same(preprint, venue)


def test_edges_keep_both_provenances_and_drop_self_loops_after_merge():
    reg = PaperRegistry()
    a = reg.add_paper({"arxiv": "2001.00001", "title": "A"}, "field-sample")
    b = reg.add_paper({"arxiv": "2001.00002", "title": "B"}, "field-sample")
    b2 = reg.add_paper({"doi": "10.1000/b", "title": "B venue"}, "field-sample")
    reg.add_edge(a, b, provenance={"source": "field-sample", "evidence": "bbl", "scope": "full"})
    reg.add_edge(a, b, provenance={"source": S2}, is_influential=True, intents=["methodology"])
    reg.add_edge(b2, b, provenance={"source": S2})
    reg.update(b2, {"arxiv": "2001.00002"}, S2)  # b2 is b: its edge becomes a self-loop
    G = reg.to_graph()
    assert G.number_of_edges() == 1
    edge = G.edges["arXiv:2001.00001", "arXiv:2001.00002"]
    assert edge["sources"] == ["field-sample", S2]
    assert edge["is_influential"] is True and edge["intents"] == ["methodology"]
    assert edge["provenance"][0] == {"source": "field-sample", "evidence": "bbl", "scope": "full"}


def test_edges_with_equal_facts_share_them_and_merge_as_before() -> None:
    """A depth-2 world's edges share one facts object; merged edges keep every provenance
    once, in order, and are influential if either source says so."""
    reg = PaperRegistry()
    a, b, c = (reg.add_paper({"title": t, "s2_id": t * 40}, "semantic-scholar") for t in "abc")
    s2 = {"source": "semantic-scholar", "evidence": "S2 references"}
    reg.add_edge(a, b, provenance=s2)
    reg.add_edge(a, c, provenance=s2)
    assert len(reg._facts) == 1  # both edges point at one facts object
    reg.add_edge(a, b, provenance={"source": "openalex"}, is_influential=True, intents=["x"])
    reg.add_edge(a, b, provenance=s2, is_influential=False, intents=["x", "y"])
    G = reg.to_graph()
    ab = G.edges[reg.node_keys()[a], reg.node_keys()[b]]
    assert [p["source"] for p in ab["provenance"]] == ["semantic-scholar", "openalex"]
    assert ab["sources"] == ["openalex", "semantic-scholar"]
    assert ab["is_influential"] is True and ab["intents"] == ["x", "y"]
    ac = G.edges[reg.node_keys()[a], reg.node_keys()[c]]
    assert "is_influential" not in ac and ac["provenance"][0]["scope"] is None
