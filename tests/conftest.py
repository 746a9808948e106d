"""Shared fixtures: the sample data, the shipped model, and Flask test clients."""

import os
from pathlib import Path

import pytest

from pipeline.predict import Predictor
from service.app import create_app
from service.config import Settings

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts"
DATA_HINT = (
    "labelled sample data not found: set MBTI_DATA_DIR to the folder holding "
    "mbti500_sample.csv and mbti1_sample.csv (CI's .ci/run sets it to ../shared/data)"
)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Return the folder of the labelled samples, or skip saying how to get it."""
    folder = Path(os.environ.get("MBTI_DATA_DIR", REPO.parent / "shared" / "data"))
    if not (folder / "mbti500_sample.csv").is_file():
        pytest.skip(DATA_HINT)
    return folder


@pytest.fixture(scope="session")
def predictor() -> Predictor:
    """Return the shipped artifact, loaded and warmed once for the session."""
    return Predictor.from_folder(ARTIFACTS)


@pytest.fixture
def settings() -> Settings:
    """Return service settings with small limits, so limit tests stay cheap."""
    return Settings(
        model_dir=ARTIFACTS, max_body_bytes=20_000, max_text_chars=5_000, max_batch=4
    )


@pytest.fixture
def app(settings, predictor):
    """Return the Flask app serving the shipped model."""
    return create_app(settings, predictor=predictor)


@pytest.fixture
def client(app):
    """Return a Flask test client of the app."""
    return app.test_client()
