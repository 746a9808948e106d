"""The artifact's trust boundary: checksums and versions before unpickling."""

import json
import shutil

import pytest

from pipeline import artifact
from pipeline.artifact import ArtifactError
from tests.conftest import ARTIFACTS


@pytest.fixture
def copy(tmp_path):
    """Return a writable copy of the shipped artifact folder."""
    folder = tmp_path / "artifacts"
    shutil.copytree(ARTIFACTS, folder)
    return folder


@pytest.fixture
def no_unpickling(monkeypatch):
    """Fail the test if joblib.load is reached."""

    def refuse(*args, **kwargs):
        raise AssertionError("joblib.load was called on an unverified artifact")

    monkeypatch.setattr(artifact.joblib, "load", refuse)


def test_load_returns_the_shipped_model_and_card():
    model, card = artifact.load(ARTIFACTS)
    assert card["model_version"]
    assert set(model.classifiers) == {"IE", "NS", "TF", "JP"}


def test_load_refuses_a_tampered_model_before_unpickling(copy, no_unpickling):
    with (copy / artifact.MODEL_FILE).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ArtifactError, match="does not match its SHA-256"):
        artifact.load(copy)


def test_load_refuses_a_truncated_model(copy, no_unpickling):
    path = copy / artifact.MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ArtifactError, match="truncated"):
        artifact.load(copy)


def test_load_refuses_a_git_lfs_pointer(copy, no_unpickling):
    (copy / artifact.MODEL_FILE).write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n"
    )
    with pytest.raises(ArtifactError, match="Git LFS pointer"):
        artifact.load(copy)


def test_load_refuses_another_scikit_learn_version(copy, no_unpickling):
    card_path = copy / artifact.CARD_FILE
    card = json.loads(card_path.read_text())
    card["versions"]["scikit-learn"] = "0.24.2"
    card_path.write_text(json.dumps(card))
    sums = (copy / artifact.CHECKSUM_FILE).read_text().splitlines()
    digest = artifact.sha256_file(card_path)
    lines = [
        f"{digest}  {artifact.CARD_FILE}" if line.endswith(artifact.CARD_FILE) else line
        for line in sums
    ]
    (copy / artifact.CHECKSUM_FILE).write_text("\n".join(lines) + "\n")
    with pytest.raises(ArtifactError, match=r"scikit-learn 0\.24\.2.*mbti train"):
        artifact.load(copy)


def test_load_refuses_a_missing_folder(tmp_path, no_unpickling):
    with pytest.raises(ArtifactError, match=r"SHA256SUMS is missing.*mbti train"):
        artifact.load(tmp_path / "nowhere")


def test_load_refuses_a_missing_listed_file(copy, no_unpickling):
    (copy / "confusion.png").unlink()
    with pytest.raises(ArtifactError, match=r"confusion\.png is missing"):
        artifact.load(copy)


@pytest.mark.parametrize("name", ["../model.joblib", "/etc/passwd", "sub/x"])
def test_load_refuses_checksum_entries_outside_the_folder(copy, no_unpickling, name):
    with (copy / artifact.CHECKSUM_FILE).open("a") as handle:
        handle.write(f"{'0' * 64}  {name}\n")
    with pytest.raises(ArtifactError, match="malformed line"):
        artifact.load(copy)
