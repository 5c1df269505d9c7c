import textwrap

import pytest

from implicit_atlas.graph.catalog import label_venue, load_catalog
from implicit_atlas.graph.errors import CatalogError


def write(tmp_path, body):
    path = tmp_path / "curated.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


HEADER = 'sections = ["Neural Differential Equations", "Software"]\n'


def test_bundled_catalog_holds_the_whole_list():
    catalog = load_catalog()
    assert catalog.sections == [
        "Neural Differential Equations",
        "Deep Equilibrium Networks",
        "Optimization Layers",
        "Software and Libraries",
        "Tutorials and Talks",
    ]
    by_type = {}
    for e in catalog:
        by_type.setdefault(e.type, []).append(e.key)
    assert len(by_type["paper"]) == 17
    assert len(by_type["software"]) == 10
    assert len(by_type["tutorial"]) == 2
    node = catalog.entry("neural-ode")
    assert (node.venue, node.year, node.note) == ("NeurIPS", 2018, "best paper award")
    assert catalog.entry("ad-complex-cpp").url.endswith("S187705091300327X")
    assert catalog.resolve_reference("1806.07366").key == "neural-ode"
    assert catalog.subsections("Software and Libraries") == [
        "Neural ODEs",
        "Deep Equilibrium Models",
        "Optimization",
    ]
    assert catalog.entry("torchdyn").kind_links() == {"docs": "https://torchdyn.readthedocs.io/"}
    assert catalog.entry("torchdyn").record()["subsection"] == "Neural ODEs"
    grouped = catalog.grouped("Software and Libraries")
    assert [(sub, len(entries)) for sub, entries in grouped] == [
        ("Neural ODEs", 6),
        ("Deep Equilibrium Models", 2),
        ("Optimization", 2),
    ]


@pytest.mark.parametrize(
    ("label", "venue", "year"),
    [
        pytest.param("NeurIPS18", "NeurIPS", 2018, id="label"),
        pytest.param("NeurIPS20 Tutorial", "NeurIPS", 2020, id="event-kind"),
        pytest.param("POPL2021-LAFI", "POPL", 2021, id="suffix"),
        pytest.param("JuliaCon 2019", "JuliaCon", 2019, id="long-year"),
    ],
)
def test_label_venue_reads_labels_with_an_event_or_suffix(label, venue, year):
    found = label_venue(label)
    assert (found.short, found.year) == (venue, year)


def test_label_venue_leaves_unknown_labels_alone():
    assert label_venue("arXv21") is None and label_venue("Paper") is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'x'\nsection = \n", "malformed TOML", id="syntax"
        ),
        pytest.param(
            HEADER + "[entry.a]\nsection = 'Software'\n",
            "neither a title nor an identifier",
            id="no-id-no-title",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'A'\nsection = 'Optics'\n",
            "unknown section 'Optics'",
            id="unknown-section",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'A'\nsection = 'Software'\narxiv = '1806.07366'\n"
            "[entry.b]\ntitle = 'B'\nsection = 'Software'\narxiv = 'arXiv:1806.07366v2'\n",
            "are the same paper",
            id="duplicate-arxiv",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'Same title'\nsection = 'Software'\n"
            "[entry.b]\ntitle = 'Same  Title!'\nsection = 'Software'\n",
            "are the same paper",
            id="duplicate-title",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'A'\nsection = 'Software'\narxiv = 'nope'\n",
            "is not an arXiv id",
            id="bad-arxiv",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'A'\nsection = 'Software'\nyear = '2018'\n",
            "`year` must be a int",
            id="wrong-type",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'A'\nsection = 'Software'\nabstract = 'x'\n",
            "unknown field(s) ['abstract']",
            id="unknown-field",
        ),
        pytest.param(
            HEADER + "[entry.a]\ntitle = 'A'\nsection = 'Software'\nimplements = ['zzz']\n",
            "implements 'zzz'",
            id="dangling-implements",
        ),
        pytest.param(
            "[entry.a]\ntitle = 'A'\nsection = 'Software'\n", "sections", id="no-sections"
        ),
    ],
)
def test_bad_catalogs_say_what_is_wrong(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_error_names_the_line_of_the_bad_entry(tmp_path):
    path = write(
        tmp_path,
        HEADER + "\n\n[entry.fine]\ntitle = 'x'\nsection = 'Software'\n\n"
        "[entry.bad]\ntitle = 'y'\nsection = 'Nope'\n",
    )
    with pytest.raises(CatalogError, match=r"curated.toml:8 \[entry.bad\]"):
        load_catalog(path)


def test_missing_catalog(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "nope.toml")


def test_a_byte_order_mark_from_a_windows_editor_is_ignored(tmp_path):
    path = tmp_path / "curated.toml"
    path.write_bytes(b'\xef\xbb\xbfsections = ["A"]\n[entry.x]\ntitle = "T"\nsection = "A"\n')
    assert load_catalog(path).sections == ["A"]


def test_subsections_group_bib_selection_map_legend_and_export(bundled_graph):
    from implicit_atlas.graph.exports import render_export
    from implicit_atlas.graph.htmlmap import map_data
    from implicit_atlas.graph.selection import section_paths, select_nodes

    G = bundled_graph
    assert G.graph["curated_subsections"] == {
        "Software and Libraries": ["Neural ODEs", "Deep Equilibrium Models", "Optimization"]
    }
    assert "Software and Libraries / Optimization" in section_paths(G)
    titles = lambda nodes: sorted(G.nodes[n]["title"] for n in nodes)  # noqa: E731
    assert titles(select_nodes(G, sections=["Software and Libraries / Optimization"])) == [
        "cvxpylayers",
        "mpc.pytorch",
    ]
    assert len(select_nodes(G, sections=["Neural ODEs"])) == 6  # a subsection by its own name
    assert len(select_nodes(G, sections=["Software"])) == 10  # a prefix names the section
    legend = {s["name"]: s["subsections"] for s in map_data(G)["sections"]}
    assert legend["Software and Libraries"] == [
        {"name": "Neural ODEs", "count": 6},
        {"name": "Deep Equilibrium Models", "count": 2},
        {"name": "Optimization", "count": 2},
    ]
    text = render_export(G, "markdown")["atlas.md"]
    software = text.index("## Software and Libraries\n")
    assert software < text.index("### Neural ODEs\n") < text.index("### Optimization\n")
    assert text.index("### Optimization\n") < text.index("## Tutorials and Talks\n")
