"""Fixtures of the abuse tests: a real server with small limits, and its log."""

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import configuration

from tests.abuse.limits import SMALL_ENV
from tests.serving import running_server


class Server(NamedTuple):
    """A running bin/serve: its base URL, master process id and log file."""

    url: str
    pid: int
    log: Path


@pytest.fixture(scope="module")
def small_server(tmp_path_factory) -> Iterator[Server]:
    """Yield a two-worker server with small limits, for one test module."""
    folder = tmp_path_factory.mktemp("small-server")
    with running_server(folder, env=SMALL_ENV, workers=2) as (url, process):
        yield Server(url, process.pid, folder / "server.log")


def pytest_configure(config) -> None:
    """Keep Hypothesis's caches in pytest's cache folder, not the working tree.

    Schemathesis builds its tests at collection, before any fixture runs, and
    Hypothesis then caches Unicode tables and source constants on disk.
    """
    if hasattr(config, "cache"):  # absent with -p no:cacheprovider
        configuration.set_hypothesis_home_dir(config.cache.mkdir("hypothesis"))
