"""Load on the real server: right answers, flat memory, exact counts, no drops."""

import http.client
import json
import os
import runpy
import signal
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.abuse.limits import SMALL, SMALL_ENV
from tests.abuse.load import Tally, mix, run_load
from tests.abuse.observe import children, rss_kib, unsafe, wait_for_workers
from tests.serving import REPO, predictions_total, running_server

GUNICORN_CONF = REPO / "service" / "gunicorn_conf.py"
WORKERS = 2
CLIENTS = 8
WARM_UP_SECONDS = 4
LOAD_SECONDS = 12
# Resident memory a worker may gain from the end of the warm-up to the end of
# the load. Measured growth is 80-160 KiB; a leak of 2 KiB a request, over the
# 2,000 or more requests each worker answers, would exceed it.
RSS_MARGIN_KIB = 4 * 1024
# Requests answered before a worker is killed, so the kill lands mid-load.
ANSWERS_BEFORE_KILL = 300
KILL_LOAD_SECONDS = 8
# Longest wait for the load to reach ANSWERS_BEFORE_KILL.
KILL_WAIT_SECONDS = 30
# Small enough that each worker is recycled several times within the load.
RECYCLING = {"MAX_REQUESTS": "200", "MAX_REQUESTS_JITTER": "50"}
RECYCLE_LOAD_SECONDS = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Yield the URL and master pid of a two-worker server with small limits."""
    folder = tmp_path_factory.mktemp("load-server")
    with running_server(folder, env=SMALL_ENV, workers=WORKERS) as (url, process):
        wait_for_workers(process.pid, WORKERS)
        yield url, process.pid


@pytest.mark.slow
def test_mixed_load_is_answered_right_with_flat_memory_and_exact_counts(server):
    url, master = server
    before = predictions_total(url)

    warm_up = run_load(url, CLIENTS, WARM_UP_SECONDS, mix())
    workers = children(master)
    rss_after_warm_up = {pid: rss_kib(pid) for pid in workers}
    load = run_load(url, CLIENTS, LOAD_SECONDS, mix())
    rss_at_end = {pid: rss_kib(pid) for pid in workers}

    for tally in (warm_up, load):
        assert tally.lost == []
        assert tally.wrong == []
        assert tally.unsafe == []
        assert not [status for status in tally.answers if status >= 500]
    assert children(master) == workers, "a worker was replaced during the load"
    growth = {pid: rss_at_end[pid] - rss_after_warm_up[pid] for pid in workers}
    assert max(growth.values()) <= RSS_MARGIN_KIB, (rss_after_warm_up, rss_at_end)
    answered = warm_up.texts_answered + load.texts_answered
    assert predictions_total(url) - before == answered
    print(
        f"\nload: {load.total} answers in {LOAD_SECONDS} s "
        f"({load.total / LOAD_SECONDS:.0f}/s), {load.texts_answered} texts; "
        f"statuses {dict(sorted(load.answers.items()))}; "
        f"RSS KiB after warm-up {rss_after_warm_up}, at end {rss_at_end}"
    )


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_its_counts_are_kept(server):
    url, master = server
    before = predictions_total(url)
    tally = Tally()
    load = threading.Thread(
        target=run_load, args=(url, CLIENTS, KILL_LOAD_SECONDS, mix(), tally)
    )
    load.start()
    victim = children(master)[0]
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while tally.total < ANSWERS_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for_workers(master, WORKERS, other_than=frozenset([victim]))
    load.join(KILL_LOAD_SECONDS + KILL_WAIT_SECONDS)

    assert tally.total >= ANSWERS_BEFORE_KILL
    assert victim not in replaced
    # Each client has at most one request in flight when the worker dies.
    assert len(tally.lost) <= CLIENTS, tally.lost
    assert tally.wrong == []
    assert not [status for status in tally.answers if status >= 500]
    counted = predictions_total(url) - before
    # The dead worker's counts stay; requests it scored but could not answer
    # may be counted too.
    assert tally.texts_answered <= counted
    assert counted <= tally.texts_answered + tally.texts_in_flight
    print(
        f"\nkill: lost {tally.lost}; counted {counted}, answered {tally.texts_answered}"
    )


@pytest.mark.slow
def test_a_chunked_body_over_the_limit_gets_a_json_413(server):
    url, _ = server
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    # Twice the limit: small enough to sit in socket buffers, so the client
    # reads the answer instead of failing to send the rest.
    pieces = [b'{"text": "'] + [b"a" * 1000] * (2 * SMALL.max_body_bytes // 1000)
    try:
        connection.request(
            "POST",
            "/predict",
            body=iter([*pieces, b'"}']),
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()

    assert response.status == 413
    assert json.loads(body)["error"] == {
        "code": "payload_too_large",
        "message": f"The body has more than {SMALL.max_body_bytes} bytes; the limit "
        f"is {SMALL.max_body_bytes}.",
    }
    assert unsafe(dict(response.getheaders()), body) == []


@pytest.mark.slow
def test_workers_recycled_under_load_drop_nothing_and_lose_no_counts(tmp_path):
    env = {**SMALL_ENV, **RECYCLING}
    with running_server(tmp_path, env=env, workers=WORKERS) as (url, _):
        before = predictions_total(url)
        tally = run_load(url, CLIENTS, RECYCLE_LOAD_SECONDS, mix())
        counted = predictions_total(url) - before

    assert "Autorestarting worker" in (tmp_path / "server.log").read_text()
    assert tally.lost == []
    assert tally.wrong == []
    assert counted == tally.texts_answered


def test_gunicorn_settings_bound_requests_workers_and_shutdown(monkeypatch):
    for name in (
        "TIMEOUT",
        "GRACEFUL_TIMEOUT",
        "MAX_REQUESTS",
        "MAX_REQUESTS_JITTER",
        "WORKER_CLASS",
    ):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(GUNICORN_CONF))

    assert conf["preload_app"] is True
    assert conf["worker_class"] == "gthread"
    assert 0 < conf["keepalive"] < conf["timeout"] <= 60
    assert 0 < conf["graceful_timeout"] <= 60
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["limit_request_line"] <= 8190
    assert conf["limit_request_fields"] <= 100
    assert conf["limit_request_field_size"] <= 8190
    assert conf["control_socket_disable"] is True
