"""Fixtures for the monitoring tests: the Prometheus commands."""

import shutil

import pytest

TOOL_HINT = (
    "{tool} not found: install the Debian package prometheus "
    "(listed in .ci/apt-packages.txt; .ci/run installs it)"
)


def _tool(name: str) -> str:
    """Return the path of a Prometheus command, or skip saying how to get it."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(TOOL_HINT.format(tool=name))
    return path


@pytest.fixture(scope="session")
def promtool() -> str:
    """Return the path of promtool."""
    return _tool("promtool")


@pytest.fixture(scope="session")
def prometheus_binary() -> str:
    """Return the path of the Prometheus server."""
    return _tool("prometheus")
