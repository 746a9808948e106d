"""The `mbti` command: train, evaluate and predict from the shell."""

import argparse
import json
import logging
import sys
from pathlib import Path

from pipeline import artifact
from pipeline.compose import prediction_to_dict
from pipeline.data import AXES, DataFormatError, load_datasets
from pipeline.evaluate import evaluate
from pipeline.predict import NoKnownWordsError, Predictor
from pipeline.train import TrainingConfig, train
from pipeline.wordnet import WordNetUnavailableError

logger = logging.getLogger(__name__)

DEFAULT_ARTIFACT = Path("artifacts")
AXIS_COLUMNS = ("accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "brier", "ece")


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `mbti` command."""
    parser = argparse.ArgumentParser(prog="mbti", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", required=True)

    train_cmd = commands.add_parser("train", help="train and write an artifact")
    train_cmd.add_argument(
        "--data",
        type=Path,
        action="append",
        required=True,
        help="labelled CSV (MBTI 500 or mbti_1); repeatable",
    )
    train_cmd.add_argument("--out", type=Path, default=DEFAULT_ARTIFACT)
    train_cmd.add_argument("--seed", type=int, default=TrainingConfig.seed)
    train_cmd.add_argument(
        "--external",
        type=Path,
        action="append",
        default=[],
        help="labelled CSV scored as a cross-dataset check",
    )

    evaluate_cmd = commands.add_parser("evaluate", help="score an artifact on a CSV")
    evaluate_cmd.add_argument("--data", type=Path, action="append", required=True)
    evaluate_cmd.add_argument("--model", type=Path, default=DEFAULT_ARTIFACT)
    evaluate_cmd.add_argument(
        "--json", action="store_true", help="print one JSON object"
    )

    predict_cmd = commands.add_parser("predict", help="predict the type of a text")
    predict_cmd.add_argument(
        "text", nargs="?", help="the text; read from stdin if absent"
    )
    predict_cmd.add_argument("--model", type=Path, default=DEFAULT_ARTIFACT)
    return parser


def format_table(metrics: dict) -> str:
    """Return per-axis and whole-type metrics as an aligned text table."""
    header = (
        f"{'axis':<6}" + "".join(f"{c:>19}" for c in AXIS_COLUMNS) + f"{'baseline':>10}"
    )
    lines = [header, "-" * len(header)]
    for axis in AXES:
        row = metrics["axes"][axis]
        cells = "".join(
            f"{row[c]:>19.3f}" if row[c] is not None else f"{'n/a':>19}"
            for c in AXIS_COLUMNS
        )
        lines.append(f"{axis:<6}{cells}{row['majority_baseline']:>10.3f}")
    whole = metrics["type"]
    lines.append(
        f"type: accuracy {whole['accuracy']:.3f}"
        f" (baseline {whole['majority_baseline']:.3f}),"
        f" mean letters correct {whole['mean_letters_correct']:.2f},"
        f" top-3 {whole['top3_accuracy']:.3f}, ECE {whole['ece']:.3f},"
        f" types never predicted {whole['types_never_predicted']}"
        f" ({metrics['rows']} rows)"
    )
    return "\n".join(lines)


def _train(args) -> int:
    """Run `mbti train`; return the exit status."""
    card = train(args.data, args.out, TrainingConfig(seed=args.seed), args.external)
    for name, metrics in card["metrics"].items():
        print(f"\n{name}\n{format_table(metrics)}")
    print(f"\nmodel {card['model_version']} written to {args.out}")
    return 0


def _evaluate(args) -> int:
    """Run `mbti evaluate`; return the exit status."""
    predictor = Predictor.from_folder(args.model)
    dataset = load_datasets(args.data)
    probabilities = predictor.model.predict_texts(dataset.texts)
    # The baseline answers what was most common in the model's training data.
    metrics = evaluate(dataset.types, probabilities, predictor.card["baseline"])
    metrics["model_version"] = predictor.version
    if args.json:
        print(json.dumps(metrics))
    else:
        print(format_table(metrics))
    return 0


def _predict(args) -> int:
    """Run `mbti predict`; return the exit status."""
    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        print(
            "mbti predict: the text is empty; pass it as an argument or on stdin.",
            file=sys.stderr,
        )
        return 2
    predictor = Predictor.from_folder(args.model)
    try:
        [(prediction, _)] = predictor.predict([text])
    except NoKnownWordsError as exc:
        print(f"mbti predict: {exc}", file=sys.stderr)
        return 2
    print(
        json.dumps(
            {**prediction_to_dict(prediction), "model_version": predictor.version}
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the `mbti` command line; return the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handlers = {"train": _train, "evaluate": _evaluate, "predict": _predict}
    try:
        return handlers[args.command](args)
    except (
        DataFormatError,
        artifact.ArtifactError,
        WordNetUnavailableError,
        FileNotFoundError,
    ) as exc:
        print(f"mbti {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
