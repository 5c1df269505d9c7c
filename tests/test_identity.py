import pytest

from implicit_atlas.graph.identity import (
    authors_compatible,
    identifiers,
    node_key,
    normalize_arxiv,
    normalize_doi,
    normalize_title,
    parse_identifier,
    titles_compatible,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("1806.07366", "1806.07366", id="bare"),
        pytest.param("1806.07366v5", "1806.07366", id="version"),
        pytest.param("arXiv:2401.01234v2", "2401.01234", id="prefix-5-digit"),
        pytest.param("https://arxiv.org/abs/2002.08071", "2002.08071", id="abs-url"),
        pytest.param("https://arxiv.org/pdf/1806.07366.pdf", "1806.07366", id="pdf-url"),
        pytest.param("http://arxiv.org/pdf/1806.07366v3.pdf", "1806.07366", id="pdf-url-version"),
        pytest.param("https://arxiv.org/pdf/1806.07366v3", "1806.07366", id="pdf-no-ext"),
        pytest.param("math/0501001", "math/0501001", id="old-style"),
        pytest.param(
            "https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", id="old-style-url"
        ),
        pytest.param("math.GT/0309136", "math.gt/0309136", id="old-style-subject-class"),
        pytest.param("not an id", None, id="junk"),
        pytest.param("", None, id="empty"),
        pytest.param("10.1000/xyz", None, id="a-doi"),
    ],
)
def test_normalize_arxiv(raw, expected):
    assert normalize_arxiv(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1137/20M1358517", "10.1137/20m1358517"),
        ("https://doi.org/10.1137/20M1358517", "10.1137/20m1358517"),
        ("http://dx.doi.org/10.1016/J.PROCS.2013.05.249", "10.1016/j.procs.2013.05.249"),
        ("doi:10.48550/arXiv.1806.07366", "10.48550/arxiv.1806.07366"),
        ("1806.07366", None),
        (None, None),
    ],
)
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected


def test_normalize_title_folds_case_accents_and_punctuation():
    assert (
        normalize_title("OptNet:  Differentiable Optimization")
        == "optnet differentiable optimization"
    )
    assert normalize_title("Müller's {ODE}s — a study") == "muller s ode s a study"
    assert normalize_title("   ") is None


def test_node_key_prefers_arxiv_then_doi_then_s2():
    assert node_key({"arxiv": "1806.07366v2", "doi": "10.1000/x"}) == "arXiv:1806.07366"
    assert node_key({"doi": "10.1000/X", "s2_id": "a" * 40}) == "doi:10.1000/x"
    assert node_key({"s2_id": "A" * 40}) == "s2:" + "a" * 40
    assert node_key({"url": "https://github.com/rtqichen/torchdiffeq.git"}) == (
        "repo:github.com/rtqichen/torchdiffeq"
    )
    assert node_key({"title": "Deep Learning"}) == "title:deep learning"
    assert node_key({"title": "Deep Learning"}, "title:deep learning [lecun 2015]") == (
        "title:deep learning [lecun 2015]"
    )


def test_identifiers_use_a_landing_page_only_without_stronger_ids():
    assert identifiers({"url": "https://www.sciencedirect.com/x/", "arxiv": "1806.07366"}) == {
        "arxiv": "1806.07366"
    }
    assert identifiers({"url": "https://www.sciencedirect.com/x/"}) == {
        "url": "sciencedirect.com/x"
    }


def test_authors_compatible_keeps_lecun_and_goodfellow_apart():
    lecun = ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]
    goodfellow = ["Ian Goodfellow", "Yoshua Bengio", "Aaron Courville"]
    assert not authors_compatible(lecun, goodfellow)
    assert authors_compatible(lecun, ["Y. LeCun"])
    assert authors_compatible(
        ["Kolter, J. Zico", "Amos, Brandon"], ["Brandon Amos", "J Zico Kolter"]
    )
    assert authors_compatible([], goodfellow)


def test_titles_compatible_vetoes_far_years_and_conflicting_arxiv():
    a = {"title": "Deep learning", "year": 2015}
    assert titles_compatible(a, {"title": "Deep learning", "year": 2016})
    assert not titles_compatible(a, {"title": "Deep learning", "year": 2017})
    assert not titles_compatible({"arxiv": "1806.07366"}, {"arxiv": "1806.07367"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arXiv:1806.07366", ("arxiv", "1806.07366")),
        ("https://arxiv.org/abs/1806.07366v2", ("arxiv", "1806.07366")),
        ("doi:10.1137/20M1358517", ("doi", "10.1137/20m1358517")),
        ("https://doi.org/10.1137/20m1358517", ("doi", "10.1137/20m1358517")),
        ("s2:" + "b" * 40, ("s2_id", "b" * 40)),
        ("c" * 40, ("s2_id", "c" * 40)),
        ("CorpusId:123", ("corpus_id", "123")),
        ("https://github.com/locuslab/deq", ("repo", "github.com/locuslab/deq")),
        ("Deep Equilibrium", None),
    ],
)
def test_parse_identifier(text, expected):
    assert parse_identifier(text) == expected
