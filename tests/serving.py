"""Start the real server (bin/serve under gunicorn) on loopback for a test."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
SERVE = REPO / "bin" / "serve"
# Longest wait for the server to answer /ready; loading the model takes seconds.
START_TIMEOUT_SECONDS = 60


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(
    tmp_path: Path, env: dict[str, str] | None = None, workers: int = 2
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield the base URL and process of bin/serve, stopped with SIGTERM after.

    The server listens on 127.0.0.1 only; its log goes to tmp_path/server.log.
    """
    port = free_port()
    server_env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        # Use this interpreter's gunicorn, whatever PATH says.
        "GUNICORN": str(Path(sys.executable).with_name("gunicorn")),
        **(env or {}),
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(SERVE)], env=server_env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/ready", process, "server", START_TIMEOUT_SECONDS)
        yield url, process
    finally:
        stop(process, grace_seconds=30)
        log.close()


def wait_until_ready(
    ready_url: str, process: subprocess.Popen, name: str, timeout_seconds: float
) -> None:
    """Return once `ready_url` answers 200; raise if `process` dies or stalls."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with status {process.returncode}")
        try:
            if requests.get(ready_url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass  # not listening yet
        time.sleep(0.2)
    raise RuntimeError(f"{name} not ready within {timeout_seconds} s")


def stop(process: subprocess.Popen, grace_seconds: float) -> None:
    """Stop `process` with SIGTERM, killing it after `grace_seconds`."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def predictions_total(url: str) -> float:
    """Return the sum of mbti_predictions_total over all types and workers."""
    text = requests.get(f"{url}/metrics", timeout=10).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("mbti_predictions_total{")
    )
