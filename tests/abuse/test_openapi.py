"""The OpenAPI document: generated from the models, complete and valid."""

import io

import pytest
import schemathesis

from service import errors
from service.config import Settings
from service.openapi import ERROR_STATUSES, build_openapi
from tests.abuse.observe import missing_headers

IMPLICIT_METHODS = {"HEAD", "OPTIONS"}


def _codes() -> set[str]:
    """Return every error code the errors module defines."""
    return {
        value
        for name, value in vars(errors).items()
        if name.isupper() and isinstance(value, str)
    }


def test_document_is_valid_openapi_3_1(settings):
    document = build_openapi(settings)

    assert document["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(document).validate()


def test_document_lists_every_route_and_method_of_the_app(app, settings):
    routes = {
        (rule.rule, method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IMPLICIT_METHODS
    }
    documented = {
        (path, method)
        for path, operations in build_openapi(settings)["paths"].items()
        for method in operations
    }
    assert documented == routes


def test_document_lists_every_error_code_under_its_status(settings):
    document = build_openapi(settings)
    components = document["components"]
    enum = components["schemas"]["ErrorDetail"]["properties"]["code"]["enum"]
    assert set(enum) == _codes()
    for status, (name, codes) in ERROR_STATUSES.items():
        response = components["responses"][name]
        for code in codes:
            assert f"`{code}`" in response["description"], status


def test_every_operation_documents_its_own_errors_and_500(settings):
    paths = build_openapi(settings)["paths"]
    expected = {
        "/predict": {"400", "405", "413", "415", "422", "500", "503"},
        "/ready": {"405", "500", "503"},
        "/model": {"405", "500", "503"},
    }
    for path, operations in paths.items():
        (operation,) = operations.values()
        errors_documented = {code for code in operation["responses"] if code != "200"}
        assert errors_documented == expected.get(path, {"405", "500"}), path


@pytest.mark.parametrize(
    ("limits", "text", "batch", "body"),
    [((1_048_576, 100_000, 64), 100_000, 64, 1_048_576), ((999, 123, 7), 123, 7, 999)],
)
def test_request_schema_carries_the_configured_limits(limits, text, batch, body):
    max_body_bytes, max_text_chars, max_batch = limits
    settings = Settings(
        max_body_bytes=max_body_bytes,
        max_text_chars=max_text_chars,
        max_batch=max_batch,
    )
    schema = build_openapi(settings)["components"]["schemas"]["PredictRequest"]

    single, many = (
        schema["properties"][name]["anyOf"][0] for name in ("text", "texts")
    )
    assert single == {"type": "string", "maxLength": text}
    assert many["maxItems"] == batch
    assert many["items"] == {"type": "string", "maxLength": text}
    assert f"a body of at most {body} bytes" in schema["description"]


def test_server_answers_the_document_with_security_headers(client, settings):
    response = client.get("/openapi.json")

    assert response.status_code == 200
    assert response.get_json() == build_openapi(settings)
    assert missing_headers(dict(response.headers)) == []


def test_unreadable_body_answers_a_documented_400(client):
    class Broken(io.BytesIO):
        """A body whose connection resets on the first read."""

        def readinto(self, buffer):
            raise ConnectionResetError("peer went away")

        def read(self, size=-1):
            raise ConnectionResetError("peer went away")

    response = client.post(
        "/predict",
        input_stream=Broken(b"{}"),
        content_type="application/json",
        content_length=100,
    )

    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "invalid_request",
        "message": "The request body could not be read in full; send it again.",
    }
