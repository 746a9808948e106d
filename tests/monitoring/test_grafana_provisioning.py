"""Grafana's provisioning: the datasource, the dashboard provider, the dashboard."""

import pytest

from tests.monitoring.project_files import (
    DASHBOARD,
    GRAFANA_DIR,
    load_dashboard,
    load_yaml,
)

PROVISIONING = GRAFANA_DIR / "provisioning"
TITLE = "MBTI model: confidence drift"
# Where compose mounts monitoring/grafana/dashboards inside the container.
DASHBOARDS_MOUNT = "/var/lib/grafana/dashboards"


def provisioned_datasources() -> dict[str, dict]:
    """Return every provisioned datasource by uid."""
    return {
        source["uid"]: source
        for path in sorted((PROVISIONING / "datasources").glob("*.yml"))
        for source in load_yaml(path)["datasources"]
    }


def datasource_uids(node) -> list[str]:
    """Return the uid of every datasource reference anywhere in `node`."""
    found = []
    if isinstance(node, dict):
        source = node.get("datasource")
        if isinstance(source, dict):
            found.append(source.get("uid"))
        elif source is not None:
            found.append(source)  # a name or ${...} string, never a valid uid here
        for key, value in node.items():
            if key != "datasource":
                found += datasource_uids(value)
    elif isinstance(node, list):
        for item in node:
            found += datasource_uids(item)
    return found


def panels() -> list[dict]:
    """Return the dashboard's data panels, rows left out."""
    return [panel for panel in load_dashboard()["panels"] if panel["type"] != "row"]


def test_datasource_points_at_the_compose_prometheus():
    sources = provisioned_datasources()

    assert list(sources) == ["mbti-prometheus"]
    assert sources["mbti-prometheus"]["type"] == "prometheus"
    assert sources["mbti-prometheus"]["url"] == "http://prometheus:9090"


def test_dashboard_provider_reads_the_mounted_folder():
    providers = load_yaml(PROVISIONING / "dashboards" / "provider.yml")["providers"]

    assert [provider["type"] for provider in providers] == ["file"]
    assert providers[0]["options"]["path"] == DASHBOARDS_MOUNT


def test_dashboard_is_a_bare_model_without_import_inputs():
    model = load_dashboard()
    text = DASHBOARD.read_text(encoding="utf-8")

    assert model["title"] == TITLE
    assert "dashboard" not in model
    assert "__inputs" not in model and "__requires" not in model
    assert "${DS_" not in text
    assert model["id"] is None


def test_every_datasource_reference_is_provisioned():
    uids = datasource_uids(load_dashboard())

    assert uids, "panels must name their datasource"
    assert set(uids) <= set(provisioned_datasources())


@pytest.mark.parametrize("panel", panels(), ids=lambda panel: panel["title"])
def test_every_panel_queries_prometheus(panel):
    exprs = [target.get("expr", "").strip() for target in panel["targets"]]

    assert exprs and all(exprs)
    # Plain PromQL, so the live test can run each one as Grafana would.
    assert not any("$" in expr for expr in exprs)


def test_panels_have_unique_ids_and_fit_the_grid():
    ids = [panel["id"] for panel in load_dashboard()["panels"]]
    grids = [panel["gridPos"] for panel in load_dashboard()["panels"]]

    assert len(ids) == len(set(ids))
    assert all(grid["x"] + grid["w"] <= 24 for grid in grids)
