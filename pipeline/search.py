"""Choose features and per-axis classifiers on the validation split, then fit."""

import itertools
import logging
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import log_loss
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC
from tqdm import tqdm

from pipeline.data import AXES, axis_labels
from pipeline.model import MBTIModel, build_vectorizer

logger = logging.getLogger(__name__)

# Folds of the calibration's internal cross-validation.
CALIBRATION_FOLDS = 5


@dataclass(frozen=True)
class SearchSpace:
    """The hyper-parameters tried on the validation split."""

    ngram_range: tuple[tuple[int, int], ...] = ((1, 1), (1, 2))
    min_df: tuple[int, ...] = (2, 5)
    max_features: tuple[int, ...] = (20_000, 60_000)
    sublinear_tf: tuple[bool, ...] = (True, False)
    svm_c: tuple[float, ...] = (0.1, 1.0)
    nb_alpha: tuple[float, ...] = (0.1, 1.0)

    def vectorizer_grid(self) -> list[dict]:
        """Return every TF-IDF parameter combination, in a fixed order."""
        keys = ("ngram_range", "min_df", "max_features", "sublinear_tf")
        values = itertools.product(*(getattr(self, key) for key in keys))
        return [dict(zip(keys, combination, strict=True)) for combination in values]


@dataclass
class Selection:
    """What the validation split chose, and the scores it chose by."""

    vectorizer_params: dict
    classifiers: dict[str, dict] = field(default_factory=dict)
    validation_log_loss: dict[str, float] = field(default_factory=dict)


def candidate_classifiers(space: SearchSpace, random_state: int) -> dict[str, tuple]:
    """Return named (kind, params, unfitted calibrated classifier) candidates.

    The SVM balances classes by weight; naive Bayes by ignoring class priors,
    since it takes no class weights.
    """
    candidates = {}
    for c in space.svm_c:
        svm = LinearSVC(C=c, class_weight="balanced", random_state=random_state)
        candidates[f"linear_svm(C={c})"] = ("linear_svm", {"C": c}, svm)
    for alpha in space.nb_alpha:
        bayes = MultinomialNB(alpha=alpha, fit_prior=False)
        candidates[f"naive_bayes(alpha={alpha})"] = (
            "naive_bayes",
            {"alpha": alpha},
            bayes,
        )
    return {
        name: (kind, params, calibrate(estimator))
        for name, (kind, params, estimator) in candidates.items()
    }


def calibrate(estimator) -> CalibratedClassifierCV:
    """Return `estimator` wrapped in sigmoid calibration over stratified folds."""
    return CalibratedClassifierCV(estimator, method="sigmoid", cv=CALIBRATION_FOLDS)


def _validation_loss(classifier, features, labels, val_features, val_labels) -> float:
    """Return the validation log-loss of `classifier` fitted on the training part."""
    fitted = clone(classifier).fit(features, labels)
    return float(
        log_loss(val_labels, fitted.predict_proba(val_features), labels=fitted.classes_)
    )


def select(
    train_texts: list[str],
    train_types: list[str],
    val_texts: list[str],
    val_types: list[str],
    space: SearchSpace,
    random_state: int,
) -> Selection:
    """Return the TF-IDF parameters and per-axis classifiers with least log-loss.

    Texts are already transformed. A TF-IDF setting is scored by the sum over
    axes of its best candidate's validation log-loss; each axis then keeps its
    own best candidate under the winning setting.
    """
    candidates = candidate_classifiers(space, random_state)
    best: Selection | None = None
    best_total = np.inf

    for params in tqdm(space.vectorizer_grid(), desc="feature search", unit="setting"):
        vectorizer = build_vectorizer(**params)
        features = vectorizer.fit_transform(train_texts)
        val_features = vectorizer.transform(val_texts)
        selection = Selection(vectorizer_params=params)
        for axis in AXES:
            labels = axis_labels(train_types, axis)
            val_labels = axis_labels(val_types, axis)
            losses = {
                name: _validation_loss(clf, features, labels, val_features, val_labels)
                for name, (_, _, clf) in candidates.items()
            }
            winner = min(losses, key=losses.get)
            kind, clf_params, _ = candidates[winner]
            selection.classifiers[axis] = {"kind": kind, **clf_params}
            selection.validation_log_loss[axis] = losses[winner]
        total = sum(selection.validation_log_loss.values())
        logger.debug("setting %s: summed validation log-loss %.4f", params, total)
        if total < best_total:
            best, best_total = selection, total

    logger.info(
        "chosen features %s, classifiers %s", best.vectorizer_params, best.classifiers
    )
    return best


def fit(
    texts: list[str],
    types: list[str],
    selection: Selection,
    random_state: int,
    mask_type_words: bool = True,
) -> MBTIModel:
    """Return an MBTIModel fitted on transformed `texts` with the chosen settings."""
    vectorizer = build_vectorizer(**selection.vectorizer_params)
    features = vectorizer.fit_transform(texts)
    classifiers = {}
    for axis in tqdm(AXES, desc="fit axes", unit="axis"):
        choice = selection.classifiers[axis]
        if choice["kind"] == "linear_svm":
            estimator = LinearSVC(
                C=choice["C"], class_weight="balanced", random_state=random_state
            )
        else:
            estimator = MultinomialNB(alpha=choice["alpha"], fit_prior=False)
        classifiers[axis] = calibrate(estimator).fit(features, axis_labels(types, axis))
    return MBTIModel(vectorizer, classifiers, mask_type_words=mask_type_words)
