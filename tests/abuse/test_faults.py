"""Faults: a bad artifact, no WordNet, a killed worker, a stopped master."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import sklearn

from pipeline import artifact, wordnet
from tests.abuse.observe import unread_bytes
from tests.serving import REPO, SERVE, free_port, running_server

ARTIFACTS = REPO / "artifacts"
# Longest wait for a server that must fail to start; it fails in seconds.
EXIT_TIMEOUT_SECONDS = 60
# Longest wait for a worker to read what a client has sent.
READ_TIMEOUT_SECONDS = 30
EXAMPLE = b'{"text": "I love deep conversations and thinking about abstract ideas."}'


def serve_until_exit(folder: Path, env: dict[str, str]) -> tuple[int, bool, str]:
    """Start bin/serve expecting it to stop; return its status, readiness, log.

    Raises when it is still running after EXIT_TIMEOUT_SECONDS.
    """
    port = free_port()
    server_env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
        "GUNICORN": str(Path(sys.executable).with_name("gunicorn")),
        **env,
    }
    log = folder / "server.log"
    ready = False
    deadline = time.monotonic() + EXIT_TIMEOUT_SECONDS
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SERVE)], env=server_env, stdout=out, stderr=subprocess.STDOUT
        )
        while process.poll() is None and time.monotonic() < deadline:
            ready = ready or _answers_ready(f"http://127.0.0.1:{port}")
            time.sleep(0.2)
        if process.poll() is None:
            process.kill()
            process.wait()
            raise AssertionError(f"bin/serve still running, ready: {ready}")
    return process.returncode, ready, log.read_text()


def _answers_ready(url: str) -> bool:
    """Return True when GET /ready answers 200."""
    try:
        return requests.get(f"{url}/ready", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def _copy_artifacts(folder: Path) -> Path:
    """Return a copy of the shipped artifact inside `folder`."""
    return Path(shutil.copytree(ARTIFACTS, folder / "artifacts"))


def _rewrite_checksums(model_dir: Path) -> None:
    """Write SHA256SUMS anew for the files it lists, as a forger would."""
    sums = model_dir / artifact.CHECKSUM_FILE
    names = [line.split("  ", 1)[1] for line in sums.read_text().splitlines()]
    sums.write_text(
        "".join(f"{artifact.sha256_file(model_dir / n)}  {n}\n" for n in names)
    )


def missing(folder: Path) -> tuple[Path, str]:
    """Point at a folder that does not exist."""
    model_dir = folder / "nowhere"
    return model_dir, (
        f"No model artifact at {model_dir}: SHA256SUMS is missing. Retrain with "
        f"`mbti train --data PATH --out {model_dir}`"
    )


def truncated(folder: Path) -> tuple[Path, str]:
    """Cut the model bundle in half, as an interrupted copy would."""
    model_dir = _copy_artifacts(folder)
    bundle = model_dir / artifact.MODEL_FILE
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2])
    return model_dir, (
        f"{bundle} does not match its SHA-256 in SHA256SUMS: the file is damaged, "
        "truncated, a Git LFS pointer, or was changed. Restore it (git checkout, or "
        "git lfs pull). Retrain with"
    )


def tampered(folder: Path) -> tuple[Path, str]:
    """Change the model card without updating its checksum."""
    model_dir = _copy_artifacts(folder)
    card = model_dir / artifact.CARD_FILE
    card.write_text(card.read_text().replace('"rows"', '"rows_"', 1))
    return model_dir, f"{card} does not match its SHA-256 in SHA256SUMS"


def other_sklearn(folder: Path) -> tuple[Path, str]:
    """Claim another scikit-learn in the card, checksums made to match."""
    model_dir = _copy_artifacts(folder)
    card_path = model_dir / artifact.CARD_FILE
    card = json.loads(card_path.read_text())
    card["versions"]["scikit-learn"] = "1.0.2"
    card_path.write_text(json.dumps(card))
    _rewrite_checksums(model_dir)
    return model_dir, (
        f"The model in {model_dir} was trained with scikit-learn 1.0.2, but "
        f"{sklearn.__version__} is installed; unpickling across versions is unsafe. "
        f"Retrain with `mbti train --data PATH --out {model_dir}`"
    )


@pytest.mark.slow
@pytest.mark.parametrize("damage", [missing, truncated, tampered, other_sklearn])
def test_a_bad_artifact_stops_start_up_saying_what_and_how_to_fix(tmp_path, damage):
    model_dir, expected = damage(tmp_path)

    status, ready, log = serve_until_exit(tmp_path, {"MBTI_MODEL_DIR": str(model_dir)})

    assert status != 0
    assert not ready
    assert expected in log
    assert "Traceback" not in log


@pytest.mark.slow
def test_missing_wordnet_stops_start_up_naming_the_fixes(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        "HOME": str(empty),
        "NLTK_DATA": str(empty),
        "MBTI_NLTK_DATA": str(tmp_path / "nltk_data"),
        "MBTI_DEBIAN_WORDNET_DIR": str(empty),
        wordnet.DOWNLOAD_SWITCH: "0",
    }

    status, ready, log = serve_until_exit(tmp_path, env)

    assert status != 0
    assert not ready
    assert "WordNet for NLTK was not found. Fix it one of three ways" in log
    assert "set NLTK_DATA" in log
    assert "apt-get install wordnet-base wordnet-sense-index" in log
    assert "python -m nltk.downloader wordnet" in log


def test_download_switch_off_never_calls_nltk_download(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(wordnet.nltk, "download", lambda *a, **k: calls.append(a))
    monkeypatch.setenv(wordnet.DOWNLOAD_SWITCH, "0")

    assert wordnet._download(tmp_path) is False
    assert calls == []


@pytest.mark.slow
def test_sigterm_lets_in_flight_requests_finish_then_exits_zero(tmp_path):
    with running_server(tmp_path, workers=2) as (url, process):
        port = int(url.rsplit(":", 1)[1])
        head = (
            "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nConnection: close\r\n"
            f"Content-Length: {len(EXAMPLE)}\r\n\r\n"
        ).encode()
        half = len(EXAMPLE) // 2
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        for client in clients:
            client.settimeout(READ_TIMEOUT_SECONDS)
            client.sendall(head + EXAMPLE[:half])
        for client in clients:
            _wait_until_read(port, client.getsockname()[1])

        process.send_signal(signal.SIGTERM)
        for client in clients:
            client.sendall(EXAMPLE[half:])
        answers = [_read_answer(client) for client in clients]
        status = process.wait(EXIT_TIMEOUT_SECONDS)

    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert b'"mbti_type"' in answer
    assert status == 0


def _wait_until_read(server_port: int, client_port: int) -> None:
    """Return once a worker has read all a client sent, so it is in flight."""
    deadline = time.monotonic() + READ_TIMEOUT_SECONDS
    while unread_bytes(server_port, client_port) != 0:
        if time.monotonic() > deadline:
            raise AssertionError("no worker read the request in time")
        time.sleep(0.05)


def _read_answer(client: socket.socket) -> bytes:
    """Return everything the server sends until it closes the connection."""
    chunks = []
    with client:
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
