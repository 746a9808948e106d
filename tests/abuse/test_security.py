"""Leaks on the real server: security headers everywhere, no user text logged."""

import uuid

import pytest
import requests

from tests.abuse.limits import SMALL
from tests.abuse.load import mix
from tests.abuse.observe import leaks, missing_headers

pytestmark = pytest.mark.slow

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("GET", "/nope", None, {}, 404),
        ("GET", "/predict", None, {}, 405),
        ("DELETE", "/health", None, {}, 405),
        ("POST", "/predict", b"x" * (SMALL.max_body_bytes + 1), JSON, 413),
        ("POST", "/predict", b'{"texts": ["a", "b", "c", "d", "e"]}', JSON, 413),
        ("POST", "/predict", b"{}", {"Content-Type": "text/plain"}, 415),
        ("POST", "/predict", b"{", JSON, 400),
        ("POST", "/predict", b'{"text": "zzq"}', JSON, 422),
        ("GET", "/metrics", None, {}, 200),
        ("GET", "/openapi.json", None, {}, 200),
        ("HEAD", "/health", None, {}, 200),
        ("OPTIONS", "/predict", None, {}, 200),
    ],
)
def test_every_kind_of_answer_carries_security_headers_and_no_internals(
    small_server, method, path, body, headers, status
):
    response = requests.request(
        method, small_server.url + path, data=body, headers=headers, timeout=10
    )

    assert response.status_code == status
    assert missing_headers(dict(response.headers)) == []
    assert leaks(response.text) == []


def test_user_text_never_reaches_the_log(small_server):
    marker = f"marker{uuid.uuid4().hex}"
    calls = mix(marker)
    with requests.Session() as session:
        for call in calls:
            response = session.request(
                call.method,
                small_server.url + call.path,
                data=call.body,
                headers={"Content-Type": call.content_type},
                timeout=10,
            )
            assert response.status_code == call.status, call.name

    log = small_server.log.read_text()
    # The log is live: every request above is in it, by method and path only.
    sent = sum(call.method == "POST" for call in calls)
    assert log.count('"POST /predict HTTP/1.1"') >= sent
    assert marker not in log
