"""The Prometheus config and rules: promtool's checks and its rule unit tests."""

import subprocess

import pytest

from tests.monitoring.project_files import (
    API_JOB,
    PROMETHEUS_CONFIG,
    PROMETHEUS_DIR,
    load_yaml,
    rule_files,
    rules,
)

UNIT_TESTS = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))


def run_tool(command: list[str], cwd) -> subprocess.CompletedProcess:
    """Run a command to its end and return it, output captured as text."""
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_config_scrapes_the_api_by_its_compose_name():
    config = load_yaml(PROMETHEUS_CONFIG)
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}

    assert config["global"]["scrape_interval"] == "15s"
    assert jobs[API_JOB]["static_configs"] == [{"targets": ["api:8000"]}]


def test_config_loads_every_rule_file_by_a_relative_path():
    patterns = load_yaml(PROMETHEUS_CONFIG)["rule_files"]
    on_disk = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))

    assert all(not pattern.startswith("/") for pattern in patterns)
    assert rule_files() == on_disk
    assert len(on_disk) >= 2


def test_promtool_accepts_the_config_and_its_rules(promtool, tmp_path):
    result = run_tool([promtool, "check", "config", str(PROMETHEUS_CONFIG)], tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_accepts_the_rule_files(promtool, tmp_path):
    paths = [str(path) for path in rule_files()]
    result = run_tool([promtool, "check", "rules", *paths], tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unit_test", UNIT_TESTS, ids=lambda path: path.name)
def test_rule_unit_tests_pass(promtool, tmp_path, unit_test):
    result = run_tool([promtool, "test", "rules", str(unit_test)], tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("alert", rules("alert"), ids=lambda rule: rule["alert"])
def test_alert_waits_and_says_where_to_look(alert):
    assert alert.get("for"), "an alert without `for` pages on one bad evaluation"
    assert alert["labels"]["severity"] in {"critical", "warning", "info"}
    assert alert["annotations"]["summary"].strip()
    assert len(alert["annotations"]["description"].split()) >= 15


def test_every_alert_has_a_firing_and_a_quiet_unit_test():
    fired: set[str] = set()
    quiet: set[str] = set()
    for path in UNIT_TESTS:
        for case in load_yaml(path)["tests"]:
            for check in case.get("alert_rule_test", []):
                (fired if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {alert["alert"] for alert in rules("alert")}

    assert names - fired == set(), "alerts never seen firing in a unit test"
    assert names - quiet == set(), "alerts never seen quiet in a unit test"


def test_recording_rules_follow_the_level_metric_operation_naming():
    names = [rule["record"] for rule in rules("record")]

    assert all(name.count(":") == 2 for name in names)
    assert all(name.split(":")[0].startswith("job") for name in names)
