import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.propose import bullet_format, format_pr_body, propose_additions

UPSTREAM = Path(__file__).parent / "lists" / "awesome-implicit-neural-models-upstream.md"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("* Title: [NeurIPS19](https://x.org)", "* {title}: [{label}]({url})", id="colon"),
        pytest.param("* Title (oral): [NeurIPS19](https://x.org)", "* {title}: [{label}]({url})",
                     id="note"),
        pytest.param("- Title [ICML17](https://x.org) ", "- {title} [{label}]({url})", id="space"),
        pytest.param("12. Title: [arXiv](https://x.org)", "1. {title}: [{label}]({url})",
                     id="ordered"),
        pytest.param("- [Title](https://x.org) - NeurIPS19", "- [{title}]({url}) - {label}",
                     id="link-first"),
        pytest.param("* `torchdiffeq` ODE solvers", None, id="software"),
    ],
)  # fmt: skip
def test_bullet_format_follows_the_lists_own_entries(line, expected):
    assert bullet_format(line) == expected


def test_proposals_go_at_the_end_of_their_section_in_its_format(bundled_graph):
    text = UPSTREAM.read_text("utf-8")
    proposal = propose_additions(text, bundled_graph, top=3)
    assert len(proposal.added) == 3
    old, new = text.splitlines(), proposal.text.splitlines()
    assert sorted(line for line in new if line not in old) == sorted(b for _, b in proposal.added)
    assert [line for line in old if line not in new] == [], "nothing of the list is changed"
    first, bullet = proposal.added[0]
    assert bullet == (
        "* Stabilizing Equilibrium Models by Jacobian Regularization: "
        "[arXiv21](https://arxiv.org/abs/2106.14342)"
    )
    at = new.index(bullet)  # after the section's last entry, before the next heading
    assert new[at - 1].startswith("* Algorithmic Differentiation of a Complex C++ Code")
    heading = new.index("### Optimization Layers")
    added = {b for _, b in proposal.added}
    assert at < heading and all(line in added or not line for line in new[at:heading])
    body = format_pr_body(bundled_graph, proposal, "## Atlas changes\n\nnone")
    assert bullet in body and "Evidence: score" in body and body.rstrip().endswith("none")
    assert "co-cited with" in body


def test_proposing_again_does_not_repeat_a_paper_already_listed(bundled_graph):
    once = propose_additions(UPSTREAM.read_text("utf-8"), bundled_graph, top=2)
    twice = propose_additions(once.text, bundled_graph, top=2)
    first = {s.key for s, _ in once.added}
    assert first.isdisjoint({s.key for s, _ in twice.added})
    assert {s.key for s, why in twice.not_added if why == "already in the list"} == first


def test_a_list_written_link_first_gets_link_first_bullets(bundled_graph):
    text = textwrap.dedent(
        """\
        # My list

        ## Deep Equilibrium Networks

        - [Deep Equilibrium Models](https://arxiv.org/abs/1909.01377) - NeurIPS19
        - [Monotone Operator Equilibrium Networks](https://arxiv.org/abs/2006.08591) - NeurIPS20

        ## Neural Differential Equations

        - [Neural Ordinary Differential Equations](https://arxiv.org/abs/1806.07366) - NeurIPS18
        """
    )
    proposal = propose_additions(text, bundled_graph, top=2)
    assert proposal.added
    for _, bullet in proposal.added:
        assert bullet.startswith("- [") and "](" in bullet and ") - " in bullet, bullet


def test_a_file_with_no_entries_is_refused(bundled_graph):
    with pytest.raises(AtlasError, match="no entries"):
        propose_additions("# Empty\n\nJust text.\n", bundled_graph)


def test_cli_curate_propose_edits_the_list_and_writes_the_pull_request_text(
    bundled_graph_file, tmp_path
):
    readme = tmp_path / "README.md"
    readme.write_text(UPSTREAM.read_text("utf-8"), encoding="utf-8")
    changes = tmp_path / "changes.md"
    changes.write_text("## Atlas changes\n\nNo change between the two builds.\n")
    body = tmp_path / "pr.md"
    result = CliRunner().invoke(
        cli,
        ["curate", "propose", str(readme), "--graph", str(bundled_graph_file), "--top", "3",
         "--body", str(body), "--changes", str(changes)],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"3 bullets added to {readme}" in result.stdout
    assert "Jacobian Regularization" in readme.read_text("utf-8")
    assert body.read_text("utf-8").rstrip().endswith("No change between the two builds.")
    out = tmp_path / "copy.md"
    before = readme.read_bytes()
    result = CliRunner().invoke(
        cli, ["curate", "propose", str(readme), "--graph", str(bundled_graph_file), "-o", str(out)]
    )
    assert result.exit_code == 0 and readme.read_bytes() == before and out.exists()
