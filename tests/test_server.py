"""The real server: bin/serve under gunicorn with two workers, on loopback."""

import pytest
import requests

from tests.serving import predictions_total, running_server

pytestmark = pytest.mark.slow

EXAMPLE = "I love deep conversations and thinking about abstract ideas."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Yield the base URL of a running gunicorn server with two workers."""
    with running_server(tmp_path_factory.mktemp("server"), workers=2) as (url, _):
        yield url


def test_server_answers_predictions(server):
    response = requests.post(f"{server}/predict", json={"text": EXAMPLE}, timeout=10)
    assert response.status_code == 200
    assert len(response.json()["mbti_type"]) == 4


def test_server_answers_bad_input_with_json_not_html(server):
    response = requests.post(
        f"{server}/predict",
        data=b"{",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_server_counts_predictions_across_workers_exactly(server):
    before = predictions_total(server)
    for _ in range(20):
        requests.post(f"{server}/predict", json={"text": EXAMPLE}, timeout=10)
    requests.post(f"{server}/predict", json={"texts": [EXAMPLE] * 3}, timeout=10)
    assert predictions_total(server) == before + 23
