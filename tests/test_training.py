"""A real training run on the sample: beats the baseline, reproduces the card."""

import json

import pytest

from pipeline import artifact
from pipeline.cli import main
from pipeline.data import fingerprint
from pipeline.predict import Predictor
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(data_dir, tmp_path_factory):
    """Return the folder and card of `mbti train` run on the MBTI 500 sample."""
    out = tmp_path_factory.mktemp("trained")
    status = main(
        [
            "train",
            "--data",
            str(data_dir / "mbti500_sample.csv"),
            "--external",
            str(data_dir / "mbti1_sample.csv"),
            "--out",
            str(out),
        ]
    )
    assert status == 0
    return out, json.loads((out / artifact.CARD_FILE).read_text())


def test_training_beats_the_majority_baseline_on_every_axis(trained):
    _, card = trained
    for axis, metrics in card["metrics"]["test"]["axes"].items():
        assert metrics["balanced_accuracy"] > 0.6, axis
        assert metrics["accuracy"] > metrics["majority_baseline"], axis
    whole = card["metrics"]["test"]["type"]
    assert whole["accuracy"] > 2 * whole["majority_baseline"]


def test_training_writes_a_loadable_artifact_with_plots(trained):
    out, card = trained
    assert {"reliability.png", "confusion.png"} <= {p.name for p in out.iterdir()}
    predictor = Predictor.from_folder(out)
    assert predictor.version == card["model_version"]


def test_model_card_records_what_monitoring_and_audits_need(trained):
    _, card = trained
    assert set(card["versions"]) >= {"python", "numpy", "scikit-learn", "nltk"}
    assert card["split"]["seed"] == 42
    reference = card["reference"]
    assert sum(reference["letter_share"].values()) == pytest.approx(4.0)
    assert 0.0625 <= reference["confidence_quantiles"]["0.5"] <= 1
    assert set(card["metrics"]) >= {
        "test",
        "test_type_words_unmasked",
        "unmasked_model_test",
        "external:mbti1_sample.csv",
    }


def test_training_reproduces_the_shipped_model_card(trained, data_dir):
    _, card = trained
    shipped = json.loads((ARTIFACTS / artifact.CARD_FILE).read_text())
    if shipped["data"]["sha256"] != fingerprint([data_dir / "mbti500_sample.csv"]):
        pytest.skip("the shipped model was trained on other data than this sample")
    assert card["hyperparameters"] == shipped["hyperparameters"]
    assert card["metrics"] == shipped["metrics"]
    assert card["reference"] == shipped["reference"]
