"""The HTTP API through Flask's test client: answers, errors and headers."""

import json

import pytest

from service.app import create_app
from service.config import ConfigError, Settings

EXAMPLE = "I love deep conversations and thinking about abstract ideas."
JSON = "application/json"


def post(client, body, content_type=JSON):
    """Return the response to POST /predict with a raw or JSON-encoded body."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/predict", data=data, content_type=content_type)


def assert_error(response, status, code):
    """Check the shared error shape, status and code; return the message."""
    assert response.status_code == status
    assert response.mimetype == JSON
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert message.endswith(".")
    assert "Traceback" not in message
    return message


def test_predict_answers_type_confidence_axes_and_alternatives(client, predictor):
    response = post(client, {"text": EXAMPLE})
    assert response.status_code == 200
    answer = response.get_json()
    assert len(answer["mbti_type"]) == 4
    assert [axis["axis"] for axis in answer["axes"]] == ["IE", "NS", "TF", "JP"]
    assert answer["mbti_type"] == "".join(axis["letter"] for axis in answer["axes"])
    product = 1.0
    for axis in answer["axes"]:
        assert axis["probability"] == axis["probabilities"][axis["letter"]]
        assert sum(axis["probabilities"].values()) == pytest.approx(1.0)
        product *= axis["probability"]
    assert answer["confidence"] == pytest.approx(product)
    assert len(answer["alternatives"]) == 3
    assert answer["model_version"] == predictor.version


def test_predict_answers_a_batch_in_order(client):
    texts = [EXAMPLE, "We went out partying with friends all weekend, so fun!"]
    single = [post(client, {"text": text}).get_json() for text in texts]
    response = post(client, {"texts": texts})
    assert response.status_code == 200
    answer = response.get_json()
    assert set(answer) == {"predictions", "model_version"}
    # A batch is one matrix product: equal to single answers up to rounding.
    for batched, alone in zip(answer["predictions"], single, strict=True):
        assert batched["mbti_type"] == alone["mbti_type"]
        assert batched["confidence"] == pytest.approx(alone["confidence"], abs=1e-12)


def test_predict_accepts_json_with_a_charset(client):
    response = post(client, {"text": EXAMPLE}, content_type=JSON + "; charset=utf-8")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ({"text": EXAMPLE}, "text/plain", 415, "unsupported_media_type"),
        ({"text": EXAMPLE}, None, 415, "unsupported_media_type"),
        (b"", JSON, 400, "empty_body"),
        (b"   ", JSON, 400, "empty_body"),
        (b"{not json", JSON, 400, "invalid_json"),
        (b'{"text": "\xff\xfe"}', JSON, 400, "invalid_json"),
        (b'{"text": "\\ud800"}', JSON, 400, "invalid_json"),
        (b"[" * 5000 + b"]" * 5000, JSON, 400, "invalid_json"),
        (
            b'{"text": ' + b'{"a": ' * 1000 + b"1" + b"}" * 1001,
            JSON,
            400,
            "invalid_json",
        ),
        (b'{"text": NaN}', JSON, 400, "invalid_request"),
        (b"null", JSON, 400, "invalid_request"),
        (b"42", JSON, 400, "invalid_request"),
        (b'["text"]', JSON, 400, "invalid_request"),
        ({"text": 42}, JSON, 400, "invalid_request"),
        ({"text": None}, JSON, 400, "invalid_request"),
        ({"text": ["a"]}, JSON, 400, "invalid_request"),
        ({"text": EXAMPLE, "texts": [EXAMPLE]}, JSON, 400, "invalid_request"),
        ({}, JSON, 400, "invalid_request"),
        ({"txt": EXAMPLE}, JSON, 400, "invalid_request"),
        ({"texts": []}, JSON, 400, "invalid_request"),
        ({"texts": "one text"}, JSON, 400, "invalid_request"),
        ({"texts": [EXAMPLE, 3]}, JSON, 400, "invalid_request"),
        ({"texts": [EXAMPLE] * 5}, JSON, 413, "batch_too_large"),
        ({"text": "word " * 1001}, JSON, 413, "text_too_long"),
        ({"text": "x" * 30_000}, JSON, 413, "payload_too_large"),
        ({"text": ""}, JSON, 422, "empty_text"),
        ({"text": " \n\t "}, JSON, 422, "empty_text"),
        ({"texts": [EXAMPLE, "  "]}, JSON, 422, "empty_text"),
        ({"text": "the and of 123 !!!"}, JSON, 422, "no_known_words"),
        ({"text": "qwxz vbnmq zzzzq"}, JSON, 422, "no_known_words"),
        ({"text": "INTJ INFP ENFP-T"}, JSON, 422, "no_known_words"),
    ],
)
def test_predict_rejects_bad_input_with_a_json_error(
    client, body, content_type, status, code
):
    assert_error(post(client, body, content_type), status, code)


def test_validation_errors_do_not_echo_the_input(client):
    secret = "my-secret-value-123"
    message = assert_error(post(client, {"text": 1, secret: 2}), 400, "invalid_request")
    assert secret not in message
    message = assert_error(post(client, {"texts": [secret, 5]}), 400, "invalid_request")
    assert secret not in message


def test_no_known_words_error_says_which_text(client):
    message = assert_error(
        post(client, {"texts": [EXAMPLE, "zzzq qqqz"]}), 422, "no_known_words"
    )
    assert "Text 1" in message


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/nope", 404, "not_found"),
        ("get", "/predict", 405, "method_not_allowed"),
        ("delete", "/predict", 405, "method_not_allowed"),
        ("post", "/health", 405, "method_not_allowed"),
    ],
)
def test_unknown_paths_and_methods_answer_json(client, method, path, status, code):
    assert_error(getattr(client, method)(path), status, code)


def test_health_answers_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_answers_503_until_a_model_is_loaded(settings):
    app = create_app(settings, load_model=False)
    client = app.test_client()
    assert_error(client.get("/ready"), 503, "model_not_ready")
    assert_error(post(client, {"text": EXAMPLE}), 503, "model_not_ready")
    app.extensions["mbti"].load()
    assert client.get("/ready").status_code == 200
    assert post(client, {"text": EXAMPLE}).status_code == 200


def test_model_summarizes_the_model_card(client, predictor):
    summary = client.get("/model").get_json()
    assert summary["model_version"] == predictor.version
    assert summary["data"]["sha256"] == predictor.card["data"]["sha256"]
    for axis in ("IE", "NS", "TF", "JP"):
        metrics = summary["metrics"]["axes"][axis]
        assert metrics["balanced_accuracy"] > 0.5
        assert "majority_baseline" in metrics


def test_responses_carry_security_headers(client):
    for response in (client.get("/health"), client.get("/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_an_unexpected_failure_answers_500_without_details(app, monkeypatch):
    def explode(texts):
        raise RuntimeError("secret internal detail /srv/path")

    monkeypatch.setattr(app.extensions["mbti"].predictor, "predict", explode)
    response = post(app.test_client(), {"text": EXAMPLE})
    message = assert_error(response, 500, "internal_error")
    assert "secret" not in message
    assert "/srv" not in response.get_data(as_text=True)


def test_building_the_app_twice_keeps_metrics_working(settings, predictor):
    first = create_app(settings, predictor=predictor).test_client()
    second = create_app(settings, predictor=predictor).test_client()
    post(second, {"text": EXAMPLE})
    assert first.get("/metrics").status_code == 200
    metrics = second.get("/metrics").get_data(as_text=True)
    assert "mbti_predictions_total{" in metrics
    assert "mbti_rejected_requests_total" in metrics


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MBTI_MAX_BATCH", "0", "positive integer"),
        ("MBTI_MAX_BODY_BYTES", "1e6", "positive integer"),
        ("MBTI_FAST_PATH", "maybe", "one of 1/0"),
    ],
)
def test_settings_refuse_unusable_environment_values(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        Settings.from_env()


def test_settings_treat_blank_variables_as_unset(monkeypatch):
    monkeypatch.setenv("MBTI_MODEL_DIR", "")
    monkeypatch.setenv("MBTI_MAX_BATCH", " ")
    settings = Settings.from_env()
    assert settings.model_dir == Settings().model_dir
    assert settings.max_batch == Settings().max_batch
