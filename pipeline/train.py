"""Train, evaluate and write the artifact: the `mbti train` workflow."""

import hashlib
import json
import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import joblib
import matplotlib
import nltk
import numpy as np
import sklearn
from tqdm import tqdm

from pipeline import artifact, plots
from pipeline.data import Dataset, fingerprint, load_datasets, split
from pipeline.evaluate import evaluate, majority_answers, reference_distributions
from pipeline.model import MBTIModel
from pipeline.search import CALIBRATION_FOLDS, SearchSpace, Selection, fit, select
from pipeline.text import normalize

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides the trained model, recorded in the model card."""

    seed: int = 42
    validation_size: float = 0.15
    test_size: float = 0.15
    space: SearchSpace = field(default_factory=SearchSpace)


def _normalize_all(texts: list[str], desc: str, mask: bool = True) -> list[str]:
    """Return the transformed texts, with a progress bar."""
    return [
        normalize(t, mask_type_words=mask) for t in tqdm(texts, desc=desc, unit="row")
    ]


def versions() -> dict[str, str]:
    """Return the library versions the card records; loading checks scikit-learn's."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "nltk": nltk.__version__,
        "joblib": joblib.__version__,
        "matplotlib": matplotlib.__version__,
    }


def _unmasked_comparison(
    train: Dataset, test_types: list[str], test_text: list[str], selection, config
) -> dict:
    """Return test metrics of a model trained and tested with type words kept.

    `test_text` is already transformed without masking. The gap between this
    and the masked model is what naming one's type is worth to a model that
    may read it: the leak masking removes.
    """
    train_text = _normalize_all(train.texts, "unmasked train", mask=False)
    model = fit(train_text, train.types, selection, config.seed, mask_type_words=False)
    probabilities = model.first_letter_probabilities(model.features(test_text))
    return evaluate(test_types, probabilities, majority_answers(train.types))


@dataclass
class FittedRun:
    """A model fitted on train + validation, with what evaluation needs."""

    model: MBTIModel
    selection: Selection
    parts: tuple[Dataset, Dataset, Dataset]
    test_text: list[str]
    majority: dict[str, str]


def fit_dataset(dataset: Dataset, config: TrainingConfig) -> FittedRun:
    """Split, transform, choose hyper-parameters, and fit on train + validation."""
    train_part, val_part, test_part = split(
        dataset, config.validation_size, config.test_size, config.seed
    )
    logger.info(
        "split %d rows: train %d, validation %d, test %d",
        len(dataset),
        len(train_part),
        len(val_part),
        len(test_part),
    )

    started = time.perf_counter()
    train_text = _normalize_all(train_part.texts, "transform train")
    val_text = _normalize_all(val_part.texts, "transform validation")
    test_text = _normalize_all(test_part.texts, "transform test")
    logger.info("text transform took %.1f s", time.perf_counter() - started)

    started = time.perf_counter()
    selection = select(
        train_text,
        train_part.types,
        val_text,
        val_part.types,
        config.space,
        config.seed,
    )

    logger.info("hyper-parameter search took %.1f s", time.perf_counter() - started)

    # Hyper-parameters are fixed now; the final fit also learns from validation.
    started = time.perf_counter()
    fit_types = train_part.types + val_part.types
    majority = majority_answers(fit_types)
    model = fit(train_text + val_text, fit_types, selection, config.seed)
    logger.info("final fit took %.1f s", time.perf_counter() - started)
    return FittedRun(
        model, selection, (train_part, val_part, test_part), test_text, majority
    )


def _evaluations(
    run: FittedRun, test_probabilities, config: TrainingConfig, external: Sequence[Path]
) -> dict:
    """Return every evaluation of the model card, keyed by what was evaluated."""
    model, majority = run.model, run.majority
    train_part, val_part, test_part = run.parts
    test_unmasked = _normalize_all(test_part.texts, "unmasked test", mask=False)
    fitted_on = Dataset(
        train_part.texts + val_part.texts, train_part.types + val_part.types
    )
    evaluation = {
        "test": evaluate(test_part.types, test_probabilities, majority),
        "test_type_words_unmasked": evaluate(
            test_part.types,
            model.first_letter_probabilities(model.features(test_unmasked)),
            majority,
        ),
        "unmasked_model_test": _unmasked_comparison(
            fitted_on,
            test_part.types,
            test_unmasked,
            run.selection,
            config,
        ),
    }
    for path in external:
        key = f"external:{Path(path).name}"
        if key in evaluation:
            raise ValueError(f"Two external files are named {Path(path).name}.")
        external_set = load_datasets([path])
        evaluation[key] = evaluate(
            external_set.types, model.predict_texts(external_set.texts), majority
        )
    return evaluation


def train(
    data: list[Path],
    out: Path,
    config: TrainingConfig = TrainingConfig(),
    external: Sequence[Path] = (),
) -> dict:
    """Train on `data`, evaluate on its held-out test split, write the artifact.

    `external` are labelled files of either format scored as cross-dataset
    checks. Returns the model card.
    """
    dataset = load_datasets(data)
    run = fit_dataset(dataset, config)
    model = run.model
    test_types = run.parts[2].types
    test_probabilities = model.first_letter_probabilities(model.features(run.test_text))
    evaluation = _evaluations(run, test_probabilities, config, external)

    out.mkdir(parents=True, exist_ok=True)
    plots.plot_reliability(test_types, test_probabilities, out / plots.RELIABILITY_FILE)
    plots.plot_confusion(test_types, test_probabilities, out / plots.CONFUSION_FILE)
    card = _model_card(data, config, run.selection, dataset, run.parts, model)
    card["baseline"] = run.majority
    card["metrics"] = evaluation
    card["reference"] = reference_distributions(test_probabilities)
    artifact.save(model, card, out, [plots.RELIABILITY_FILE, plots.CONFUSION_FILE])
    return card


def _model_card(data, config, selection, dataset, parts, model) -> dict:
    """Return the model card's description of how the model was made."""
    data_sha256 = fingerprint(data)
    trained_at = datetime.now(UTC).replace(microsecond=0)
    # Two models from the same data and day differ in their settings: the
    # version carries a hash of those too, so monitoring can tell them apart.
    settings = json.dumps(
        [config.seed, selection.vectorizer_params, selection.classifiers],
        sort_keys=True,
    )
    settings_sha256 = hashlib.sha256(settings.encode()).hexdigest()
    return {
        "model_version": (
            f"{trained_at:%Y%m%d}-{data_sha256[:8]}-{settings_sha256[:6]}"
        ),
        "trained_at": trained_at.isoformat(),
        "versions": versions(),
        "data": {
            "files": [Path(p).name for p in data],
            "sha256": data_sha256,
            "rows_kept": len(dataset),
            "rows_dropped": dict(dataset.dropped),
        },
        "split": {
            "seed": config.seed,
            "validation_size": config.validation_size,
            "test_size": config.test_size,
            "rows": {
                "train": len(parts[0]),
                "validation": len(parts[1]),
                "test": len(parts[2]),
            },
            "stratified_by": "type",
        },
        "hyperparameters": {
            "search_space": asdict(config.space),
            "tfidf": selection.vectorizer_params,
            "classifiers": selection.classifiers,
            "calibration": (
                f"sigmoid, {CALIBRATION_FOLDS}-fold CalibratedClassifierCV"
            ),
            "validation_log_loss": selection.validation_log_loss,
            "refit_on": "train + validation",
            "vocabulary_size": len(model.vocabulary),
        },
        "text_transform": {
            "mask_type_words": model.mask_type_words,
            "lemmatizer": "NLTK WordNetLemmatizer, verb then noun, to a fixed point",
        },
    }
