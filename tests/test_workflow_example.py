"""The example GitHub Actions workflow (examples/implicit-atlas-weekly.yml), step by step.

GitHub itself is not tested: its run-steps are, as written, with bash, in a copy of a list's
repository. The build step talks to the loopback Semantic Scholar server (tests/s2server.py)
instead of the real API, so the whole weekly loop runs here: import the README, build, rank,
compare with last week's graph, add bullets to the README and write the pull request's text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from s2server import S2Server, generate_graph

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "examples" / "implicit-atlas-weekly.yml"
LISTS = Path(__file__).parent / "lists"
CLI_DIR = Path(sys.executable).parent  # where the `implicit-atlas` console script is


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps() -> list[dict]:
    (job,) = _workflow()["jobs"].values()
    return job["steps"]


def _our_steps() -> list[dict]:
    """The run-steps after the install (GitHub's own actions and pip are not ours to test)."""
    runs = [s for s in _steps() if "run" in s]
    assert "pip install" in runs[0]["run"]
    return runs[1:]


def _expand(text: str, env: dict[str, str], secrets: dict[str, str]) -> str:
    """GitHub's ${{ env.X }} and ${{ secrets.X }} expressions."""

    def value(m: re.Match[str]) -> str:
        scope, name = m.group(1), m.group(2)
        return (env if scope == "env" else secrets)[name]

    return re.sub(r"\$\{\{\s*(env|secrets)\.(\w+)\s*\}\}", value, text)


def _readme(fake) -> str:
    """A list of the fake graph's seed papers, in the upstream list's style."""
    lines = ["# awesome-fake", "", "A list for the test.", "", "## Seeds", ""]
    for pid in fake.seeds:
        rec = fake.papers[pid]
        arxiv = (rec.get("externalIds") or {}).get("ArXiv")
        link = (
            f"https://arxiv.org/abs/{arxiv}"
            if arxiv
            else f"https://www.semanticscholar.org/paper/{pid}"
        )
        lines.append(f"* {rec['title']}: [arXiv20]({link})")
        lines += ["", "> An abstract, never an entry.", ""]
    return "\n".join(lines) + "\n"


def test_the_workflow_runs_weekly_with_the_key_from_secrets_and_opens_a_pull_request():
    wf = _workflow()
    triggers = wf.get("on") or wf.get(True)  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"].split()[-1] == "1", "weekly, on Mondays"
    steps = _steps()
    build = next(s for s in steps if "implicit-atlas build" in s.get("run", ""))
    assert build["env"]["S2_API_KEY"] == "${{ secrets.S2_API_KEY }}"
    assert "S2_API_KEY" not in str([s for s in steps if s is not build])
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses[-1] == "peter-evans/create-pull-request"
    pr = steps[-1]["with"]
    assert pr["add-paths"] == "${{ env.LIST }}", "the pull request touches the list only"
    assert pr["body-path"] == "${{ env.ATLAS }}/pull-request.md"
    commands = re.findall(r"implicit-atlas (\w+)", " ".join(s["run"] for s in _our_steps()))
    assert commands == ["curate", "build", "suggest", "diff", "curate", "export"]


@pytest.mark.timeout(300)
def test_the_workflow_steps_run_as_written(tmp_path):
    """Two weekly runs in a copy of a list's repository: the second compares with the first."""
    fake = generate_graph(120, 3, seed=21)
    repo = tmp_path / "awesome-fake"
    repo.mkdir()
    (repo / "README.md").write_text(_readme(fake), encoding="utf-8")
    env_vars = {k: str(v) for k, v in _workflow()["env"].items()}
    secrets = {"S2_API_KEY": "test-key-never-written"}
    with S2Server(fake) as server:
        for week in (1, 2):
            if week == 2:  # the pull request of week 1 was merged
                shutil.copy(repo / "README.md", tmp_path / "merged.md")
            for step in _our_steps():
                env = {
                    **os.environ,
                    **env_vars,
                    **{
                        k: _expand(str(v), env_vars, secrets)
                        for k, v in step.get("env", {}).items()
                    },
                    "PATH": f"{CLI_DIR}{os.pathsep}{os.environ['PATH']}",
                    "S2_API_URL": server.url,
                    "XDG_CACHE_HOME": str(tmp_path / "user-cache"),
                }
                run = subprocess.run(
                    ["bash", "-e", "-c", _expand(step["run"], env_vars, secrets)],
                    cwd=repo, env=env, capture_output=True, text=True, timeout=240,
                )  # fmt: skip
                assert run.returncode == 0, (step["name"], run.stdout, run.stderr)
            atlas = repo / env_vars["ATLAS"]
            body = (atlas / "pull-request.md").read_text(encoding="utf-8")
            changes = (atlas / "changes.md").read_text(encoding="utf-8")
            if week == 1:
                assert changes.startswith("First run")
                readme = (repo / "README.md").read_text(encoding="utf-8")
                original = _readme(fake)
                added = [line for line in readme.splitlines() if line not in original.splitlines()]
                assert 1 <= len(added) <= int(env_vars["TOP"])
                assert all(
                    re.fullmatch(r"\* .+: \[\w+\]\(https?://\S+\)", line) for line in added
                ), added
                assert readme.startswith(original.rstrip("\n").rsplit("\n", 1)[0]), "only added"
                for line in added:
                    assert line in body
                assert "Evidence: score" in body
            else:
                assert changes.startswith("## Atlas changes: build of")
                assert "| curated entries |" in changes
                assert changes.strip() in body
            assert (atlas / "suggestions.md").read_text(encoding="utf-8").startswith("<!--")
            assert (atlas / "last" / "graph.json").exists()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"test-key-never-written" not in path.read_bytes(), path
