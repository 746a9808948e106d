"""The `mbti` command line: evaluate and predict on the shipped artifact."""

import io
import json

import pytest

from pipeline.cli import main
from tests.conftest import ARTIFACTS

EXAMPLE = "I love deep conversations and thinking about abstract ideas."


def test_predict_prints_the_api_answer(capsys, predictor):
    assert main(["predict", EXAMPLE, "--model", str(ARTIFACTS)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["model_version"] == predictor.version
    assert [axis["axis"] for axis in answer["axes"]] == ["IE", "NS", "TF", "JP"]


def test_predict_reads_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(EXAMPLE))
    assert main(["predict", "--model", str(ARTIFACTS)]) == 0
    assert len(json.loads(capsys.readouterr().out)["mbti_type"]) == 4


@pytest.mark.parametrize("text", ["   ", "zzzq qqqz"])
def test_predict_refuses_text_without_known_words(capsys, text):
    assert main(["predict", text, "--model", str(ARTIFACTS)]) == 2
    assert "mbti predict:" in capsys.readouterr().err


def test_evaluate_json_reports_every_metric(capsys, data_dir):
    status = main(
        [
            "evaluate",
            "--data",
            str(data_dir / "mbti1_sample.csv"),
            "--model",
            str(ARTIFACTS),
            "--json",
        ]
    )
    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 244
    for axis in ("IE", "NS", "TF", "JP"):
        assert set(report["axes"][axis]) >= {
            "accuracy",
            "balanced_accuracy",
            "macro_f1",
            "roc_auc",
            "brier",
            "ece",
            "majority_baseline",
        }
    assert set(report["type"]) >= {
        "accuracy",
        "mean_letters_correct",
        "top3_accuracy",
        "ece",
    }
    assert report["axes"]["TF"]["balanced_accuracy"] > 0.55


def test_evaluate_names_a_file_that_is_not_mbti_csv(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    assert main(["evaluate", "--data", str(bad), "--model", str(ARTIFACTS)]) == 1
    assert "bad.csv" in capsys.readouterr().err


def test_commands_report_a_missing_artifact(capsys, tmp_path):
    assert main(["predict", EXAMPLE, "--model", str(tmp_path)]) == 1
    assert "mbti train" in capsys.readouterr().err
