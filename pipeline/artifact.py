"""Write and load the model artifact: bundle, model card and SHA-256 checksums.

Loading checks every checksum and the scikit-learn version before anything is
unpickled, and only the bundle inside the checked folder is passed to joblib.
The checksums catch damage (a truncated copy, a Git LFS pointer, an edited
file), not an attacker: whoever can write the folder can rewrite SHA256SUMS
too, so the folder itself must be trusted (a read-only mount, an image build).
"""

import hashlib
import json
import logging
from pathlib import Path

import joblib
import sklearn

from pipeline.model import MBTIModel

logger = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
CARD_FILE = "model_card.json"
CHECKSUM_FILE = "SHA256SUMS"
RETRAIN_HINT = (
    "Retrain with `mbti train --data PATH --out {folder}` in this environment, "
    "or install the versions the model card lists."
)


class ArtifactError(RuntimeError):
    """Raised when an artifact folder is missing, damaged or incompatible.

    A RuntimeError because gunicorn reports those from a preloaded app as one
    "Error:" line, where another exception would print a traceback.
    """


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of the file at `path`."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(model: MBTIModel, card: dict, folder: Path, extra_files: list[str]) -> None:
    """Write the bundle, the card and SHA256SUMS over them and `extra_files`.

    `extra_files` are names of files already written into `folder` (plots).
    """
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / MODEL_FILE, compress=3)
    (folder / CARD_FILE).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    names = sorted([MODEL_FILE, CARD_FILE, *extra_files])
    lines = [f"{sha256_file(folder / name)}  {name}\n" for name in names]
    (folder / CHECKSUM_FILE).write_text("".join(lines))
    logger.info("artifact written to %s (%d files)", folder, len(names))


def _read_checksums(folder: Path) -> dict[str, str]:
    """Return file name to expected SHA-256 from the folder's SHA256SUMS."""
    path = folder / CHECKSUM_FILE
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except FileNotFoundError as exc:
        raise ArtifactError(
            f"No model artifact at {folder}: {CHECKSUM_FILE} is missing. "
            + RETRAIN_HINT.format(folder=folder)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ArtifactError(f"{path} is not a checksum list.") from exc

    expected = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        # Only plain names inside the folder: a listed path must not lead out.
        if len(digest) != 64 or not name or Path(name).name != name:
            raise ArtifactError(
                f"{path} has a malformed line; expected 'SHA256  name'."
            )
        expected[name] = digest
    for required in (MODEL_FILE, CARD_FILE):
        if required not in expected:
            raise ArtifactError(f"{path} does not list {required}.")
    return expected


def verify(folder: Path) -> dict:
    """Check every checksum and the scikit-learn version; return the model card.

    Raises ArtifactError saying what is wrong and how to fix it.
    """
    for name, digest in _read_checksums(folder).items():
        path = folder / name
        if not path.is_file():
            raise ArtifactError(
                f"{path} is missing. " + RETRAIN_HINT.format(folder=folder)
            )
        if sha256_file(path) != digest:
            raise ArtifactError(
                f"{path} does not match its SHA-256 in {CHECKSUM_FILE}: the file is "
                "damaged, truncated, a Git LFS pointer, or was changed. Restore it "
                "(git checkout, or git lfs pull). " + RETRAIN_HINT.format(folder=folder)
            )

    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    trained_with = card.get("versions", {}).get("scikit-learn")
    if trained_with != sklearn.__version__:
        raise ArtifactError(
            f"The model in {folder} was trained with scikit-learn {trained_with}, "
            f"but {sklearn.__version__} is installed; unpickling across versions is "
            "unsafe. " + RETRAIN_HINT.format(folder=folder)
        )
    return card


def load(folder: str | Path) -> tuple[MBTIModel, dict]:
    """Return the verified model and its card from an artifact `folder`."""
    folder = Path(folder)
    card = verify(folder)
    model = joblib.load(folder / MODEL_FILE)
    if not isinstance(model, MBTIModel):
        raise ArtifactError(f"{folder / MODEL_FILE} does not hold an MBTIModel.")
    logger.info("model %s loaded from %s", card.get("model_version"), folder)
    return model, card
