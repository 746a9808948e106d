"""The Dockerfile, compose file and workflows pass their linters and schemas."""

import pytest

from tests.delivery.dockerfile import DOCKERFILE, REPO

COMPOSE_FILE = REPO / "docker-compose.yml"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))


def _report(result) -> str:
    """Return a checker's output for an assertion message."""
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def test_dockerfile_passes_hadolint_without_findings(run_tool):
    result = run_tool("hadolint", "--no-color", DOCKERFILE)
    assert result.returncode == 0, _report(result)
    assert result.stdout.strip() == ""


def test_compose_file_matches_the_compose_specification(run_tool):
    result = run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", COMPOSE_FILE
    )
    assert result.returncode == 0, _report(result)


def test_compose_schema_check_rejects_an_unknown_service_key(run_tool, tmp_path):
    misspelt = tmp_path / "docker-compose.yml"
    misspelt.write_text(
        "services:\n  api:\n    image: mbti\n    helthcheck:\n      test: [NONE]\n",
        encoding="utf-8",
    )
    result = run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", misspelt
    )
    assert result.returncode == 1
    assert "helthcheck" in result.stdout


def test_there_is_a_workflow_to_check():
    assert WORKFLOWS, "no workflow under .github/workflows"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_matches_the_github_workflow_schema(run_tool, workflow):
    result = run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow
    )
    assert result.returncode == 0, _report(result)


def test_workflows_pass_actionlint(run_tool):
    result = run_tool("actionlint", "-no-color", *WORKFLOWS)
    assert result.returncode == 0, _report(result)


def test_actionlint_checks_run_scripts_with_shellcheck(run_tool, tmp_path):
    workflow = tmp_path / "unquoted.yml"
    workflow.write_text(
        "on: push\njobs:\n  echo:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - run: echo $HOME\n",
        encoding="utf-8",
    )
    result = run_tool("actionlint", "-no-color", workflow)
    assert result.returncode == 1
    assert "SC2086" in result.stdout
