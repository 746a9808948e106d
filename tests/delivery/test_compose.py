"""The compose stack: pinned images, health-gated start-up, read-only mounts."""

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.delivery.dockerfile import REPO, healthcheck_command

COMPOSE_FILE = REPO / "docker-compose.yml"
# A release tag such as v3.5.0 or 12.3.1, never a moving one like latest.
RELEASE_TAG = re.compile(r":v?\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$")


@pytest.fixture(scope="module")
def compose() -> dict:
    """Return the parsed docker-compose.yml."""
    return YAML(typ="safe").load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _bind_mounts(service: dict) -> list[tuple[str, str, str]]:
    """Return (host path, container path, options) of a service's bind mounts."""
    mounts = []
    for volume in service.get("volumes", []):
        host, container, *options = volume.split(":")
        if host.startswith("."):
            mounts.append((host, container, ",".join(options)))
    return mounts


def test_stack_has_the_api_prometheus_and_grafana(compose):
    assert set(compose["services"]) == {"api", "prometheus", "grafana"}


def test_api_is_built_from_this_repository(compose):
    assert compose["services"]["api"]["build"] == "."


def test_api_healthcheck_is_the_image_healthcheck(compose):
    test = compose["services"]["api"]["healthcheck"]["test"]
    assert test == ["CMD", *healthcheck_command()]


@pytest.mark.parametrize("name", ["prometheus", "grafana"])
def test_monitoring_images_are_pinned_to_a_release(compose, name):
    image = compose["services"][name]["image"]
    assert RELEASE_TAG.search(image), f"{image} is not pinned to a release"


@pytest.mark.parametrize("name", ["api", "prometheus", "grafana"])
def test_every_service_has_a_healthcheck(compose, name):
    assert compose["services"][name]["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}


@pytest.mark.parametrize(
    ("name", "dependency"), [("prometheus", "api"), ("grafana", "prometheus")]
)
def test_service_starts_after_its_dependency_is_healthy(compose, name, dependency):
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on[dependency]["condition"] == "service_healthy"


@pytest.mark.parametrize(
    ("name", "container_path"),
    [
        ("prometheus", "/etc/prometheus"),
        ("grafana", "/etc/grafana/provisioning"),
        ("grafana", "/var/lib/grafana/dashboards"),
    ],
)
def test_monitoring_configuration_is_mounted_read_only(compose, name, container_path):
    mounts = {
        container: (host, options)
        for host, container, options in _bind_mounts(compose["services"][name])
    }
    host, options = mounts[container_path]
    assert "ro" in options.split(",")
    assert (REPO / Path(host)).is_dir(), f"{host} is missing from the repository"


def test_prometheus_keeps_data_in_a_named_volume_for_a_bounded_time(compose):
    prometheus = compose["services"]["prometheus"]
    assert any(
        flag.startswith("--storage.tsdb.retention.time=")
        for flag in prometheus["command"]
    )
    assert "prometheus-data:/prometheus" in prometheus["volumes"]
    assert "grafana-data:/var/lib/grafana" in compose["services"]["grafana"]["volumes"]
    assert set(compose["volumes"]) == {"prometheus-data", "grafana-data"}


def test_grafana_admin_password_comes_from_the_environment(compose):
    environment = compose["services"]["grafana"]["environment"]
    assert environment["GF_SECURITY_ADMIN_PASSWORD"].startswith(
        "${GRAFANA_ADMIN_PASSWORD:-"
    )
