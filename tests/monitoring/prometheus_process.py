"""Run a real Prometheus on loopback with the project's rules, and query it."""

import contextlib
import json
import math
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.monitoring.project_files import (
    API_JOB,
    PROMETHEUS_CONFIG,
    load_yaml,
    rule_files,
)
from tests.serving import free_port, stop, wait_until_ready

# Scrape and evaluate this often, so a test sees new counts within seconds.
INTERVAL = "1s"
# Longest wait for Prometheus to start, and for a query to show what we wait for.
# Prometheus applies a new target list every 5 s, so the first scrape comes late.
START_TIMEOUT_SECONDS = 30
WAIT_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Sample:
    """One series of an instant query: its labels and value."""

    labels: dict[str, str]
    value: float


class PrometheusAPI:
    """Instant queries against one Prometheus server."""

    def __init__(self, url: str):
        self.url = url

    def query(self, expr: str, at: float | None = None) -> list[Sample]:
        """Return the samples of `expr` evaluated now or at Unix time `at`."""
        params = {"query": expr}
        if at is not None:
            params["time"] = f"{at:.3f}"
        response = requests.get(f"{self.url}/api/v1/query", params=params, timeout=10)
        body = response.json()
        if body.get("status") != "success":
            raise RuntimeError(f"query {expr!r} failed: {body.get('error')}")
        data = body["data"]
        if data["resultType"] == "scalar":
            return [Sample({}, float(data["result"][1]))]
        return [
            Sample(item["metric"], float(item["value"][1])) for item in data["result"]
        ]

    def value(self, expr: str, at: float | None = None) -> float:
        """Return the one value of `expr`; NaN when it returns nothing."""
        samples = self.query(expr, at)
        return samples[0].value if len(samples) == 1 else math.nan

    def wait_until(
        self, expr: str, done: Callable[[list[Sample]], bool]
    ) -> list[Sample]:
        """Return the samples of `expr` once `done` accepts them; raise on timeout."""
        deadline = time.monotonic() + WAIT_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            samples = self.query(expr)
            if done(samples):
                return samples
            time.sleep(0.25)
        raise TimeoutError(
            f"{expr!r} did not reach the awaited state within "
            f"{WAIT_TIMEOUT_SECONDS} s; last result: {samples}"
        )


def write_config(folder: Path, target: str) -> Path:
    """Write the project's config with `target` as the API and return its path.

    The API job and the rule files are the project's own; only the target, the
    intervals and the rule files' absolute paths differ.
    """
    config = load_yaml(PROMETHEUS_CONFIG)
    job = next(job for job in config["scrape_configs"] if job["job_name"] == API_JOB)
    job["static_configs"] = [{"targets": [target]}]
    job["scrape_interval"] = INTERVAL
    config["global"].update(scrape_interval=INTERVAL, evaluation_interval=INTERVAL)
    config["rule_files"] = [str(path) for path in rule_files()]
    config["scrape_configs"] = [job]

    path = folder / "prometheus.yml"
    # JSON is YAML too, and needs no YAML writer.
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


@contextlib.contextmanager
def running_prometheus(
    folder: Path, binary: str, target: str
) -> Iterator[PrometheusAPI]:
    """Yield a Prometheus on 127.0.0.1 scraping `target`; stop it afterwards.

    Its config, data and log stay in `folder`.
    """
    config = write_config(folder, target)
    port = free_port()
    log = (folder / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={folder / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/-/ready", process, "prometheus", START_TIMEOUT_SECONDS)
        yield PrometheusAPI(url)
    finally:
        stop(process, grace_seconds=20)
        log.close()
