"""Choose features and per-axis classifiers on the validation split, then fit."""

import itertools
import logging
from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC
from tqdm import tqdm

from pipeline.data import AXES, axis_labels
from pipeline.model import MBTIModel, build_vectorizer

logger = logging.getLogger(__name__)

# Folds of the calibration's internal cross-validation.
CALIBRATION_FOLDS = 5
# Classifier fits run in this many processes. Not threads: liblinear draws from
# one C random generator per process, so concurrent fits in threads would
# interleave its draws and make training irreproducible.
FIT_PROCESSES = 2


@dataclass(frozen=True)
class SearchSpace:
    """The hyper-parameters tried on the validation split."""

    ngram_range: tuple[tuple[int, int], ...] = ((1, 1), (1, 2))
    min_df: tuple[int, ...] = (2, 5)
    max_features: tuple[int, ...] = (20_000, 60_000)
    sublinear_tf: tuple[bool, ...] = (True, False)
    svm_c: tuple[float, ...] = (0.1, 1.0)
    nb_alpha: tuple[float, ...] = (0.1, 1.0)
    # Larger splits are subsampled, stratified by type, for the search only:
    # the choice settles long before the full data set, the cost does not.
    max_search_rows: int = 8_000
    max_validation_rows: int = 4_000

    def vectorizer_grid(self, ngram_range: tuple[int, int]) -> list[dict]:
        """Return the TF-IDF settings with `ngram_range`, in a fixed order."""
        keys = ("min_df", "max_features", "sublinear_tf")
        values = itertools.product(*(getattr(self, key) for key in keys))
        return [
            {"ngram_range": ngram_range, **dict(zip(keys, combination, strict=True))}
            for combination in values
        ]


@dataclass
class Selection:
    """What the validation split chose, and the scores it chose by."""

    vectorizer_params: dict
    classifiers: dict[str, dict] = field(default_factory=dict)
    validation_log_loss: dict[str, float] = field(default_factory=dict)


def make_classifier(kind: str, params: dict, random_state: int):
    """Return an unfitted calibrated classifier of `kind` with `params`.

    The SVM balances classes by weight; naive Bayes by ignoring class priors,
    since it takes no class weights.
    """
    if kind == "linear_svm":
        estimator = LinearSVC(
            C=params["C"], class_weight="balanced", random_state=random_state
        )
    elif kind == "naive_bayes":
        estimator = MultinomialNB(alpha=params["alpha"], fit_prior=False)
    else:
        raise ValueError(f"Unknown classifier kind {kind!r}.")
    return CalibratedClassifierCV(estimator, method="sigmoid", cv=CALIBRATION_FOLDS)


def candidate_classifiers(space: SearchSpace, random_state: int) -> dict[str, tuple]:
    """Return named (kind, params, unfitted calibrated classifier) candidates."""
    choices = [("linear_svm", {"C": c}) for c in space.svm_c]
    choices += [("naive_bayes", {"alpha": alpha}) for alpha in space.nb_alpha]
    return {
        f"{kind}({', '.join(f'{k}={v}' for k, v in params.items())})": (
            kind,
            params,
            make_classifier(kind, params, random_state),
        )
        for kind, params in choices
    }


def _validation_loss(classifier, features, labels, val_features, val_labels) -> float:
    """Return the validation log-loss of `classifier` fitted on the training part."""
    fitted = clone(classifier).fit(features, labels)
    return float(
        log_loss(val_labels, fitted.predict_proba(val_features), labels=fitted.classes_)
    )


def _subsample(texts, types, limit: int, random_state: int):
    """Return at most `limit` of the rows, stratified by type."""
    if len(texts) <= limit:
        return texts, types
    texts, _, types, _ = train_test_split(
        texts, types, train_size=limit, stratify=types, random_state=random_state
    )
    return texts, types


def _feature_settings(train_texts, val_texts, space: SearchSpace):
    """Yield (params, train features, validation features) for every setting.

    Text is counted once per n-gram range; each setting's min_df, max_features
    and sublinear tf are then column selections and a re-weighting of those
    counts, as TfidfVectorizer would compute them.
    """
    for ngram_range in space.ngram_range:
        counter = CountVectorizer(
            tokenizer=str.split,
            token_pattern=None,
            lowercase=False,
            ngram_range=tuple(ngram_range),
            min_df=min(space.min_df),
        )
        counts = counter.fit_transform(train_texts)
        val_counts = counter.transform(val_texts)
        document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
        term_frequency = np.asarray(counts.sum(axis=0)).ravel()
        for params in space.vectorizer_grid(ngram_range):
            kept = np.flatnonzero(document_frequency >= params["min_df"])
            by_frequency = np.argsort(-term_frequency[kept], kind="stable")
            columns = np.sort(kept[by_frequency[: params["max_features"]]])
            weighting = TfidfTransformer(sublinear_tf=params["sublinear_tf"])
            features = weighting.fit_transform(counts[:, columns])
            yield params, features, weighting.transform(val_counts[:, columns])


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
    train_texts, train_types = _subsample(
        train_texts, train_types, space.max_search_rows, random_state
    )
    val_texts, val_types = _subsample(
        val_texts, val_types, space.max_validation_rows, random_state
    )
    best: Selection | None = None
    best_total = np.inf

    settings = _feature_settings(train_texts, val_texts, space)
    total_settings = len(space.ngram_range) * len(space.vectorizer_grid((1, 1)))
    for params, features, val_features in tqdm(
        settings, total=total_settings, desc="feature search", unit="setting"
    ):
        selection = Selection(vectorizer_params=params)
        jobs = [(axis, name) for axis in AXES for name in candidates]
        results = Parallel(n_jobs=FIT_PROCESSES)(
            delayed(_validation_loss)(
                candidates[name][2],
                features,
                axis_labels(train_types, axis),
                val_features,
                axis_labels(val_types, axis),
            )
            for axis, name in jobs
        )
        all_losses = dict(zip(jobs, results, strict=True))
        for axis in AXES:
            losses = {name: all_losses[axis, name] for name in candidates}
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

    def fit_axis(axis: str):
        params = dict(selection.classifiers[axis])
        kind = params.pop("kind")
        classifier = make_classifier(kind, params, random_state)
        return classifier.fit(features, axis_labels(types, axis))

    fitted = Parallel(n_jobs=FIT_PROCESSES)(
        delayed(fit_axis)(axis) for axis in tqdm(AXES, desc="fit axes", unit="axis")
    )
    classifiers = dict(zip(AXES, fitted, strict=True))
    return MBTIModel(vectorizer, classifiers, mask_type_words=mask_type_words)
