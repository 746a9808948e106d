"""Build the API's OpenAPI 3.1 document from the pydantic models and the limits."""

from importlib.metadata import PackageNotFoundError, version

from flask import jsonify
from pydantic.json_schema import models_json_schema

from service import errors
from service.config import Settings
from service.schemas import (
    BatchAnswer,
    ErrorAnswer,
    HealthAnswer,
    ModelSummary,
    PredictionAnswer,
    PredictRequest,
    ReadyAnswer,
)

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
METRICS_MEDIA_TYPES = ("text/plain", "application/openmetrics-text")
SCHEMAS = "#/components/schemas/"
REQUEST_MODELS = (PredictRequest,)
ANSWER_MODELS = (
    PredictionAnswer,
    BatchAnswer,
    ErrorAnswer,
    HealthAnswer,
    ReadyAnswer,
    ModelSummary,
)

# Every error status, its name in components/responses, and its codes.
ERROR_STATUSES = {
    400: (
        "BadRequest",
        (errors.EMPTY_BODY, errors.INVALID_JSON, errors.INVALID_REQUEST),
    ),
    404: ("NotFound", (errors.NOT_FOUND,)),
    405: ("MethodNotAllowed", (errors.METHOD_NOT_ALLOWED,)),
    413: (
        "PayloadTooLarge",
        (errors.PAYLOAD_TOO_LARGE, errors.BATCH_TOO_LARGE, errors.TEXT_TOO_LONG),
    ),
    415: ("UnsupportedMediaType", (errors.UNSUPPORTED_MEDIA_TYPE,)),
    422: ("Unprocessable", (errors.EMPTY_TEXT, errors.NO_KNOWN_WORDS)),
    500: ("InternalError", (errors.INTERNAL_ERROR,)),
    503: ("NotReady", (errors.MODEL_NOT_READY,)),
}
SECURITY_HEADER_NOTES = {
    "X-Content-Type-Options": "Always nosniff.",
    "Content-Security-Policy": "Forbids every source: answers are data, not pages.",
}


def build_openapi(settings: Settings) -> dict:
    """Return the OpenAPI document of the API under `settings`' limits."""
    schemas = _component_schemas(settings)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "MBTI predictor",
            "version": _api_version(),
            "description": _limits_note(settings)
            + " Any other path answers 404 with code `not_found`.",
        },
        "paths": {
            "/predict": {"post": _predict_operation(settings)},
            "/health": {"get": _get("The process is alive.", "HealthAnswer", [])},
            "/ready": {
                "get": _get("The model is loaded and warmed.", "ReadyAnswer", [503])
            },
            "/model": {"get": _get("The model card's summary.", "ModelSummary", [503])},
            "/metrics": {"get": _metrics_operation()},
            "/openapi.json": {"get": _get("This document.", None, [])},
        },
        "components": {
            "schemas": schemas,
            "responses": _error_responses(settings),
            "headers": {
                name: {
                    "required": True,
                    "schema": {"type": "string"},
                    "description": note,
                }
                for name, note in SECURITY_HEADER_NOTES.items()
            },
        },
    }


def view(settings: Settings):
    """Return a Flask view answering the document, built once for `settings`."""
    document = build_openapi(settings)

    def openapi_document():
        """Answer the OpenAPI document of this API."""
        return jsonify(document)

    return openapi_document


def _component_schemas(settings: Settings) -> dict:
    """Return the models' JSON Schemas, the request's with the limits in it."""
    models = [(model, "validation") for model in REQUEST_MODELS]
    models += [(model, "serialization") for model in ANSWER_MODELS]
    _, document = models_json_schema(models, ref_template=SCHEMAS + "{model}")
    schemas = document["$defs"]

    # The limits are settings, not constants of the model: pydantic leaves them
    # to the view, which answers 413 for them, and they are stated here.
    text_limit = {"maxLength": settings.max_text_chars}
    fields = schemas["PredictRequest"]["properties"]
    _not_null(fields["text"]).update(text_limit)
    texts = _not_null(fields["texts"])
    texts.update(maxItems=settings.max_batch)
    texts["items"].update(text_limit)
    schemas["PredictRequest"]["description"] += " " + _limits_note(settings)

    codes = [
        code for _, status_codes in ERROR_STATUSES.values() for code in status_codes
    ]
    schemas["ErrorDetail"]["properties"]["code"]["enum"] = codes
    return schemas


def _api_version() -> str:
    """Return the installed package's version, the API's version."""
    try:
        return version("mbti-predictor")
    except PackageNotFoundError:
        # Run from a source tree without installing: the document still loads.
        return "0+unknown"


def _not_null(field: dict) -> dict:
    """Return the non-null branch of an optional field's JSON Schema."""
    (branch,) = [option for option in field["anyOf"] if option["type"] != "null"]
    return branch


def _limits_note(settings: Settings) -> str:
    """Return the request limits as a sentence."""
    return (
        f"Limits: a body of at most {settings.max_body_bytes} bytes, refused "
        f"before parsing; at most {settings.max_batch} texts a batch; at most "
        f"{settings.max_text_chars} characters a text."
    )


def _error_responses(settings: Settings) -> dict:
    """Return one reusable response per error status, its codes listed."""
    notes = {
        400: "The body is empty, not UTF-8 JSON (or nested too deeply), or not an "
        "object with exactly one of `text` (a string) or `texts` (a list of strings).",
        404: "No such path.",
        405: "The path does not take this method; the Allow header lists those it "
        "takes.",
        413: "A limit is broken. " + _limits_note(settings),
        415: f"The Content-Type is not {JSON}.",
        422: "A text is blank, or keeps no word the model knows after normalization.",
        500: "An unexpected failure; the details go to the server log, never into "
        "the answer.",
        503: "The model is not loaded yet; retry once GET /ready answers 200.",
    }
    responses = {}
    for status, (name, codes) in ERROR_STATUSES.items():
        listed = ", ".join(f"`{code}`" for code in codes)
        error_schema = {
            "allOf": [
                {"$ref": SCHEMAS + "ErrorAnswer"},
                {
                    "properties": {
                        "error": {"properties": {"code": {"enum": list(codes)}}}
                    }
                },
            ]
        }
        responses[name] = {
            "description": f"{notes[status]} Codes: {listed}.",
            "headers": _security_headers(),
            "content": {JSON: {"schema": error_schema}},
        }
    responses["MethodNotAllowed"]["headers"]["Allow"] = {
        "required": True,
        "schema": {"type": "string"},
        "description": "The methods the path takes.",
    }
    return responses


def _security_headers() -> dict:
    """Return references to the headers every answer carries."""
    return {
        name: {"$ref": f"#/components/headers/{name}"} for name in SECURITY_HEADER_NOTES
    }


def _errors(statuses: list[int]) -> dict:
    """Return the error responses of an operation: its own, 405 and 500."""
    return {
        str(status): {"$ref": f"#/components/responses/{ERROR_STATUSES[status][0]}"}
        for status in sorted({*statuses, 405, 500})
    }


def _ok(description: str, schema: dict, media_types=(JSON,)) -> dict:
    """Return a 200 response of `schema` in each of `media_types`."""
    return {
        "description": description,
        "headers": _security_headers(),
        "content": {media_type: {"schema": schema} for media_type in media_types},
    }


def _get(summary: str, model: str | None, statuses: list[int]) -> dict:
    """Return a JSON GET operation answering `model` (any object when None)."""
    schema = {"$ref": SCHEMAS + model} if model else {"type": "object"}
    return {
        "summary": summary,
        "responses": {"200": _ok(summary, schema), **_errors(statuses)},
    }


def _metrics_operation() -> dict:
    """Return the operation of the Prometheus metrics."""
    summary = "Prometheus metrics, added up over all worker processes."
    return {
        "summary": summary,
        "responses": {
            "200": _ok(summary, {"type": "string"}, METRICS_MEDIA_TYPES),
            **_errors([]),
        },
    }


def _predict_operation(settings: Settings) -> dict:
    """Return the operation answering the type of one text or a batch."""
    answer = {
        "oneOf": [
            {"$ref": SCHEMAS + "PredictionAnswer"},
            {"$ref": SCHEMAS + "BatchAnswer"},
        ]
    }
    return {
        "summary": "Answer the type of one text, or of each text of a batch.",
        "requestBody": {
            "required": True,
            "description": _limits_note(settings),
            "content": {JSON: {"schema": {"$ref": SCHEMAS + "PredictRequest"}}},
        },
        "responses": {
            "200": _ok("One answer for `text`; answers in order for `texts`.", answer),
            **_errors([400, 413, 415, 422, 503]),
        },
    }
