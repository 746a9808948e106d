"""Where the monitoring files are, and how the tests read them."""

import json
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "monitoring" / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
GRAFANA_DIR = REPO / "monitoring" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "mbti-drift.json"
MODEL_CARD = REPO / "artifacts" / "model_card.json"
# The job the rules, alerts and dashboard expect the API under.
API_JOB = "mbti-api"


def load_yaml(path: Path):
    """Return the data of a YAML file, parsed safely."""
    return YAML(typ="safe", pure=True).load(path)


def rule_files() -> list[Path]:
    """Return the rule files prometheus.yml loads, resolved beside it."""
    patterns = load_yaml(PROMETHEUS_CONFIG)["rule_files"]
    return sorted(path for pattern in patterns for path in PROMETHEUS_DIR.glob(pattern))


def rules(kind: str) -> list[dict]:
    """Return every rule of `kind` ("record" or "alert") in the rule files."""
    return [
        rule
        for path in rule_files()
        for group in load_yaml(path)["groups"]
        for rule in group["rules"]
        if kind in rule
    ]


def load_dashboard() -> dict:
    """Return the committed dashboard model."""
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def dashboard_queries() -> list[tuple[str, str]]:
    """Return (panel title, PromQL) for every query of the dashboard."""
    return [
        (panel["title"], target["expr"])
        for panel in load_dashboard()["panels"]
        for target in panel.get("targets", [])
        if target.get("expr")
    ]
