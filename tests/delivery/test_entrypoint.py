"""bin/serve outside Docker, with the environment the Dockerfile gives the image."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.delivery.dockerfile import REPO, healthcheck_command, runtime_env
from tests.serving import free_port, running_server

pytestmark = pytest.mark.slow

EXAMPLE = "I love deep conversations and thinking about abstract ideas."
# running_server chooses these: loopback and a free port, never the image's.
SET_BY_THE_TEST = {"HOST", "PORT"}


def _local_equivalents(folder: Path) -> dict[str, str]:
    """Return, for each path the image has, the same thing on this machine."""
    return {
        # /opt/venv/bin in the image: this interpreter's environment here.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "MBTI_MODEL_DIR": str(REPO / "artifacts"),
        # Assembled from Debian's WordNet at start, as the build assembles it.
        "MBTI_NLTK_DATA": str(folder / "nltk_data"),
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "tmp" / "mbti-metrics"),
    }


def image_env_here(folder: Path) -> dict[str, str]:
    """Return the Dockerfile's runtime ENV with image-only paths mapped here."""
    env = runtime_env()
    local = _local_equivalents(folder)
    unmapped = sorted(
        name
        for name, value in env.items()
        if "/" in value and name not in local and name not in SET_BY_THE_TEST
    )
    assert not unmapped, f"map these image paths in _local_equivalents: {unmapped}"

    env = {name: value for name, value in env.items() if name not in SET_BY_THE_TEST}
    env.update({name: local[name] for name in env.keys() & local.keys()})
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Yield the base URL and folder of bin/serve run with the image's ENV."""
    folder = tmp_path_factory.mktemp("entrypoint")
    home = folder / "home"
    home.mkdir()
    env = {
        **image_env_here(folder),
        # The image user's home is not writable; here, watch that nothing
        # is put into it (gunicorn's control socket would be).
        "HOME": str(home),
        "XDG_RUNTIME_DIR": "",
    }
    with running_server(folder, env=env) as (url, _):
        yield url, folder


def _run_healthcheck(port: int) -> subprocess.CompletedProcess:
    """Run the Dockerfile's HEALTHCHECK command against 127.0.0.1:`port`."""
    program, *args = healthcheck_command()
    assert program == "python", "the image's health check should need only Python"
    return subprocess.run(
        [sys.executable, *args],
        env={**os.environ, "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_entrypoint_with_the_image_environment_answers_a_prediction(server):
    url, _ = server
    response = requests.post(f"{url}/predict", json={"text": EXAMPLE}, timeout=30)

    assert response.status_code == 200
    body = response.json()
    assert len(body["mbti_type"]) == 4
    assert 0.0 < body["confidence"] <= 1.0


def test_image_healthcheck_passes_against_the_running_server(server):
    url, _ = server
    result = _run_healthcheck(urlsplit(url).port)
    assert result.returncode == 0, result.stderr


def test_image_healthcheck_fails_when_nothing_listens():
    result = _run_healthcheck(free_port())
    assert result.returncode != 0
    assert "URLError" in result.stderr


def test_entrypoint_writes_metrics_only_to_the_multiprocess_folder(server):
    url, folder = server
    requests.post(f"{url}/predict", json={"text": EXAMPLE}, timeout=30)

    assert list((folder / "tmp" / "mbti-metrics").glob("*.db"))
    assert not list((folder / "home").iterdir())


def test_entrypoint_opens_no_gunicorn_control_socket(server):
    _, folder = server
    assert "Control socket" not in (folder / "server.log").read_text()
    assert not (folder / "home" / ".gunicorn").exists()
