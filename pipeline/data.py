"""Load labelled MBTI CSV files of either Kaggle format, clean them and split them."""

import csv
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sklearn.model_selection import train_test_split

logger = logging.getLogger(__name__)

AXES = ("IE", "NS", "TF", "JP")
MBTI_TYPES = tuple(
    a + b + c + d for a in "IE" for b in "NS" for c in "TF" for d in "JP"
)
# Header of each supported Kaggle format, mapped to the column order it uses.
FORMATS = {
    ("posts", "type"): "mbti500",
    ("type", "posts"): "mbti_1",
}
# mbti_1 rows hold ~50 posts and some run past csv's default field limit of
# 131,072 characters. The csv module keeps one limit per process: read_csv
# raises it for everyone, which only ever admits longer fields.
MAX_FIELD_CHARS = 16 * 1024 * 1024


class DataFormatError(ValueError):
    """Raised when a file is not an MBTI CSV of a supported format."""


@dataclass
class Dataset:
    """Labelled texts, with what was dropped on the way in."""

    texts: list[str]
    types: list[str]
    dropped: Counter = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.texts)


def _detect_format(path: Path, header: list[str]) -> str:
    """Return the format name for `header`, or raise DataFormatError."""
    columns = tuple(name.strip().lower() for name in header)
    if columns not in FORMATS:
        raise DataFormatError(
            f"{path} is not an MBTI CSV: expected the header 'posts,type' (MBTI 500) "
            f"or 'type,posts' (mbti_1), found {len(header)} column(s) "
            f"{', '.join(repr(c[:20]) for c in columns[:4])}."
        )
    return FORMATS[columns]


def read_csv(path: str | Path) -> Dataset:
    """Return the valid rows of one MBTI CSV file, in file order.

    Types are upper-cased and stripped; rows with an unknown type or empty text
    are dropped and counted by reason in `Dataset.dropped`.
    Raises DataFormatError when the file is empty, not CSV or has other columns.
    """
    path = Path(path)
    csv.field_size_limit(MAX_FIELD_CHARS)
    dataset = Dataset(texts=[], types=[])
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise DataFormatError(
                    f"{path} is empty: expected a CSV with the header 'posts,type' "
                    "or 'type,posts'."
                )
            text_column = 0 if _detect_format(path, header) == "mbti500" else 1
            for row in reader:
                _add_row(dataset, row, text_column)
    except csv.Error as exc:
        raise DataFormatError(
            f"{path} could not be read as CSV ({exc}); expected a CSV with the header "
            "'posts,type' or 'type,posts'."
        ) from exc

    for reason, count in dataset.dropped.items():
        logger.warning("%s: dropped %d row(s): %s", path, count, reason)
    logger.info("%s: %d labelled row(s) kept", path, len(dataset))
    return dataset


def _add_row(dataset: Dataset, row: list[str], text_column: int) -> None:
    """Append one CSV row to `dataset`, or count why it was dropped."""
    if len(row) != 2:
        dataset.dropped["wrong number of fields"] += 1
        return
    text, label = row[text_column], row[1 - text_column].strip().upper()
    if label not in MBTI_TYPES:
        dataset.dropped["unknown type"] += 1
    elif not text.strip():
        dataset.dropped["empty text"] += 1
    else:
        dataset.texts.append(text)
        dataset.types.append(label)


def load_datasets(paths: list[str | Path]) -> Dataset:
    """Return the rows of all `paths` together, exact duplicates removed.

    A duplicate is the same text with the same type; the first one is kept.
    A text seen with two different types is dropped entirely, since its label
    cannot be trusted.
    """
    merged = Dataset(texts=[], types=[])
    for path in paths:
        part = read_csv(path)
        merged.texts += part.texts
        merged.types += part.types
        merged.dropped.update(part.dropped)
    return deduplicate(merged)


def deduplicate(dataset: Dataset) -> Dataset:
    """Return `dataset` without repeated texts (see load_datasets)."""
    labels_by_text: dict[str, set[str]] = {}
    for text, label in zip(dataset.texts, dataset.types, strict=True):
        labels_by_text.setdefault(text, set()).add(label)

    result = Dataset(texts=[], types=[], dropped=Counter(dataset.dropped))
    seen: set[str] = set()
    for text, label in zip(dataset.texts, dataset.types, strict=True):
        if len(labels_by_text[text]) > 1:
            result.dropped["same text with conflicting types"] += 1
        elif text in seen:
            result.dropped["exact duplicate"] += 1
        else:
            seen.add(text)
            result.texts.append(text)
            result.types.append(label)

    removed = len(dataset) - len(result)
    if removed:
        logger.warning("dropped %d duplicate or conflicting row(s)", removed)
    return result


def fingerprint(paths: list[str | Path]) -> str:
    """Return the SHA-256 of the training files' bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def axis_labels(types: list[str], axis: str) -> list[str]:
    """Return each type's letter on `axis` ("IE" -> the first letter, I or E)."""
    position = AXES.index(axis)
    return [mbti_type[position] for mbti_type in types]


def split(
    dataset: Dataset,
    validation_size: float = 0.15,
    test_size: float = 0.15,
    random_state: int = 42,
) -> tuple[Dataset, Dataset, Dataset]:
    """Return train, validation and test parts, stratified by type.

    Fractions are of the whole dataset; the same `random_state` gives the same
    split for the same rows.
    """
    indices = list(range(len(dataset)))
    rest, test = train_test_split(
        indices,
        test_size=test_size,
        stratify=dataset.types,
        random_state=random_state,
    )
    rest_types = [dataset.types[i] for i in rest]
    train, validation = train_test_split(
        rest,
        test_size=validation_size / (1 - test_size),
        stratify=rest_types,
        random_state=random_state,
    )
    return tuple(_subset(dataset, part) for part in (train, validation, test))


def _subset(dataset: Dataset, indices: list[int]) -> Dataset:
    """Return the rows of `dataset` at `indices`."""
    return Dataset(
        texts=[dataset.texts[i] for i in indices],
        types=[dataset.types[i] for i in indices],
    )
