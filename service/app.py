"""The Flask application of the MBTI predictor.

Endpoints:
    POST /predict   {"text": "..."} or {"texts": [...]} -> type, confidence, axes
    GET  /health    the process is alive; checks nothing else
    GET  /ready     200 once the model is loaded and warmed, 503 before
    GET  /model     the model card's summary: version, data, headline metrics
    GET  /metrics   Prometheus metrics
    GET  /openapi.json  the OpenAPI 3.1 document of this API
"""

import hashlib
import logging

from flask import Flask, current_app, jsonify, request
from pydantic import ValidationError

from pipeline.compose import prediction_to_dict
from pipeline.predict import NoKnownWordsError, Predictor
from service import errors, openapi
from service.config import Settings
from service.errors import APIError
from service.metrics import ModelMetrics, create_exporter
from service.schemas import PredictRequest

logger = logging.getLogger(__name__)

JSON_MIMETYPE = "application/json"
EXTENSION_KEY = "mbti"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


class ModelState:
    """The process's predictor, absent until loaded and warmed."""

    def __init__(self, settings: Settings, metrics: ModelMetrics):
        self.settings = settings
        self.metrics = metrics
        self.predictor: Predictor | None = None

    @property
    def ready(self) -> bool:
        """Return True once a warmed predictor is in place."""
        return self.predictor is not None

    def use(self, predictor: Predictor) -> None:
        """Serve `predictor` from now on and publish its reference metrics."""
        self.metrics.publish_model(predictor.card)
        self.predictor = predictor

    def load(self) -> None:
        """Load, verify and warm the artifact; raises ArtifactError on a bad one."""
        settings = self.settings
        self.use(Predictor.from_folder(settings.model_dir, fast=settings.fast_path))


def create_app(
    settings: Settings | None = None,
    predictor: Predictor | None = None,
    load_model: bool = True,
) -> Flask:
    """Return the configured Flask app.

    With no `predictor` and `load_model` set, the artifact in
    `settings.model_dir` is loaded and warmed before the app is returned, so a
    gunicorn worker (or the preloading master) takes no traffic before then.
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, **settings.flask)
    app.json.sort_keys = False

    _, model_metrics = create_exporter(app)
    state = ModelState(settings, model_metrics)
    app.extensions[EXTENSION_KEY] = state
    if predictor is not None:
        state.use(predictor)
    elif load_model:
        state.load()

    errors.register_error_handlers(app, on_error=model_metrics.reject)
    app.after_request(_add_security_headers)
    app.add_url_rule("/predict", view_func=predict, methods=["POST"])
    app.add_url_rule("/health", view_func=health, methods=["GET"])
    app.add_url_rule("/ready", view_func=ready, methods=["GET"])
    app.add_url_rule("/model", view_func=model_summary, methods=["GET"])
    app.add_url_rule(
        "/openapi.json", "openapi", view_func=openapi.view(settings), methods=["GET"]
    )
    return app


def _state() -> ModelState:
    """Return the current app's model state."""
    return current_app.extensions[EXTENSION_KEY]


def _add_security_headers(response):
    """Return `response` with headers that keep browsers from misreading it."""
    response.headers.update(SECURITY_HEADERS)
    return response


def _predictor() -> Predictor:
    """Return the loaded predictor, or raise 503 while there is none."""
    state = _state()
    if not state.ready:
        raise APIError(503, errors.MODEL_NOT_READY, "The model is not loaded yet.")
    return state.predictor


def _parse_request() -> PredictRequest:
    """Return the validated body of a predict request, or raise APIError."""
    if request.mimetype != JSON_MIMETYPE:
        raise APIError(
            415,
            errors.UNSUPPORTED_MEDIA_TYPE,
            f"Send the body as {JSON_MIMETYPE}; the Content-Type was "
            f"{request.mimetype or 'missing'}.",
        )
    limit = _state().settings.max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise APIError(
            413,
            errors.PAYLOAD_TOO_LARGE,
            f"The body has {request.content_length} bytes; the limit is {limit}.",
        )
    # A chunked body has no length to check; werkzeug stops reading it at the
    # limit without an error. One byte more shows whether it went over.
    request.max_content_length = limit + 1
    body = request.get_data(cache=False)
    if len(body) > limit:
        raise APIError(
            413,
            errors.PAYLOAD_TOO_LARGE,
            f"The body has more than {limit} bytes; the limit is {limit}.",
        )
    if not body.strip():
        raise APIError(
            400, errors.EMPTY_BODY, 'The body is empty; send {"text": "..."}.'
        )

    try:
        return PredictRequest.model_validate_json(body)
    except ValidationError as exc:
        raise _invalid(exc) from exc


def _invalid(exc: ValidationError) -> APIError:
    """Return the 400 error describing a pydantic validation failure."""
    first = exc.errors(include_input=False, include_url=False)[0]
    if first["type"] == "json_invalid":
        return APIError(
            400,
            errors.INVALID_JSON,
            f"The body is not valid UTF-8 JSON ({first['msg']}).",
        )
    if first["type"] == "model_type":
        return APIError(
            400,
            errors.INVALID_REQUEST,
            'The body must be a JSON object: {"text": "..."} or {"texts": [...]}.',
        )
    if first["type"] == "value_error":
        return APIError(
            400,
            errors.INVALID_REQUEST,
            'Send exactly one of "text" (a string) or "texts" (a list of strings).',
        )
    if first["type"] == "extra_forbidden":
        return APIError(
            400,
            errors.INVALID_REQUEST,
            "The body has a field other than 'text' and 'texts'; remove it.",
        )
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return APIError(
        400,
        errors.INVALID_REQUEST,
        f'Invalid request at \'{where}\': {first["msg"]}. Send {{"text": "..."}} '
        'or {"texts": ["...", ...]} with strings only.',
    )


def _check_texts(texts: list[str]) -> None:
    """Raise APIError when the batch or one of its texts breaks a limit."""
    settings = _state().settings
    if len(texts) > settings.max_batch:
        raise APIError(
            413,
            errors.BATCH_TOO_LARGE,
            f"The batch has {len(texts)} texts; the limit is {settings.max_batch}.",
        )
    for index, text in enumerate(texts):
        if len(text) > settings.max_text_chars:
            raise APIError(
                413,
                errors.TEXT_TOO_LONG,
                f"Text {index} has {len(text)} characters; the limit is "
                f"{settings.max_text_chars}.",
            )
        if not text.strip():
            raise APIError(
                422, errors.EMPTY_TEXT, f"Text {index} is empty or only whitespace."
            )


def _log_texts(texts: list[str]) -> None:
    """Log each text's size and hash; the text itself only when configured."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    for index, text in enumerate(texts):
        digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
        logger.debug("text %d: %d chars, sha256 %s", index, len(text), digest)
        if _state().settings.log_user_text:
            logger.debug("text %d: %r", index, text)


def predict():
    """Answer the type of one text, or of each text of a batch."""
    predictor = _predictor()
    body = _parse_request()
    texts = body.as_batch()
    _check_texts(texts)
    _log_texts(texts)

    try:
        results = predictor.predict(texts)
    except NoKnownWordsError as exc:
        raise APIError(422, errors.NO_KNOWN_WORDS, str(exc)) from exc

    metrics = _state().metrics
    answers = []
    for prediction, stats in results:
        metrics.observe(prediction, stats)
        answers.append(
            {**prediction_to_dict(prediction), "model_version": predictor.version}
        )
    if body.text is not None:
        return jsonify(answers[0])
    return jsonify({"predictions": answers, "model_version": predictor.version})


def health():
    """Answer that the process is alive."""
    return jsonify({"status": "ok"})


def ready():
    """Answer 200 once the model is loaded and warmed, 503 before."""
    _predictor()
    return jsonify({"status": "ready"})


def model_summary():
    """Answer the model card's summary: version, data, headline metrics."""
    card = _predictor().card
    test = card["metrics"]["test"]
    return jsonify(
        {
            "model_version": card["model_version"],
            "trained_at": card["trained_at"],
            "data": {
                "files": card["data"]["files"],
                "sha256": card["data"]["sha256"],
                "rows": card["split"]["rows"],
            },
            "versions": card["versions"],
            "classifiers": card["hyperparameters"]["classifiers"],
            "metrics": {
                "axes": {
                    axis: {
                        key: values[key]
                        for key in ("accuracy", "balanced_accuracy", "roc_auc")
                    }
                    | {"majority_baseline": values["majority_baseline"]}
                    for axis, values in test["axes"].items()
                },
                "type_accuracy": test["type"]["accuracy"],
                "type_majority_baseline": test["type"]["majority_baseline"],
                "top3_accuracy": test["type"]["top3_accuracy"],
                "test_rows": test["rows"],
            },
        }
    )
