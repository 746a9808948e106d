"""One JSON error shape for every 4xx and 5xx answer, and the codes it uses."""

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)

# Error codes: a closed set, also used as metric labels.
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
EMPTY_BODY = "empty_body"
INVALID_JSON = "invalid_json"
INVALID_REQUEST = "invalid_request"
PAYLOAD_TOO_LARGE = "payload_too_large"
BATCH_TOO_LARGE = "batch_too_large"
TEXT_TOO_LONG = "text_too_long"
EMPTY_TEXT = "empty_text"
NO_KNOWN_WORDS = "no_known_words"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
MODEL_NOT_READY = "model_not_ready"
INTERNAL_ERROR = "internal_error"

# The reasons a request is refused as the client's mistake: the label values
# of mbti_rejected_requests_total.
CLIENT_ERROR_CODES = (
    UNSUPPORTED_MEDIA_TYPE, EMPTY_BODY, INVALID_JSON, INVALID_REQUEST,
    PAYLOAD_TOO_LARGE, BATCH_TOO_LARGE, TEXT_TOO_LONG, EMPTY_TEXT, NO_KNOWN_WORDS,
    NOT_FOUND, METHOD_NOT_ALLOWED,
)  # fmt: skip

# Codes for werkzeug's own errors, raised before or while a view reads the
# request. A 400 from werkzeug means the body could not be read in full.
_HTTP_CODES = {
    400: INVALID_REQUEST,
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    413: PAYLOAD_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
}


class APIError(Exception):
    """A client-facing error: HTTP status, stable code and a full sentence."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str):
    """Return the Flask response for one error in the shared JSON shape."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def register_error_handlers(app: Flask, on_error=None) -> None:
    """Answer every error raised in `app` as JSON, never HTML or a traceback.

    `on_error(code)` is called for each client error, for counting.
    """

    @app.errorhandler(APIError)
    def _api_error(error: APIError):
        # Only client mistakes are "rejected requests"; a 503 is the server's.
        if on_error and error.status < 500:
            on_error(error.code)
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        fallback = INVALID_REQUEST if error.code < 500 else INTERNAL_ERROR
        code = _HTTP_CODES.get(error.code, fallback)
        if on_error and error.code < 500:
            on_error(code)
        response = error_response(error.code, code, _sentence(error))
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # The traceback is for operators; the client gets a stable sentence.
        logger.exception("unhandled error while serving a request")
        return error_response(
            500, INTERNAL_ERROR, "The server failed to answer; try again later."
        )


def _sentence(error: HTTPException) -> str:
    """Return a one-sentence message for a werkzeug error, without HTML."""
    messages = {
        400: "The request body could not be read in full; send it again.",
        404: "No such endpoint; GET /openapi.json lists them.",
        405: "This endpoint does not accept that HTTP method.",
        413: "The request body is larger than the server accepts.",
    }
    fallback = "The request was refused" if error.code < 500 else "The server failed"
    return messages.get(error.code, f"{fallback} ({error.code} {error.name}).")
