"""Time and peak memory of training at multiples of the sample, in a fresh process.

Rows are repeated, for timing only: repeats keep the sample's vocabulary, so
the memory of the vocabulary itself is under-estimated (see RESULTS.md).
"""

import argparse
import json
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

import joblib

from pipeline.data import Dataset, read_csv
from pipeline.train import TrainingConfig, fit_dataset


def measure(data: Path, factor: int) -> dict:
    """Return wall time, peak resident memory and artifact size of one fit."""
    sample = read_csv(data)
    dataset = Dataset(sample.texts * factor, sample.types * factor)

    started = time.perf_counter()
    run = fit_dataset(dataset, TrainingConfig())
    seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        joblib.dump(run.model, path, compress=3)
        size = path.stat().st_size
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "factor": factor,
        "rows": len(dataset),
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "artifact_mib": round(size / 2**20, 2),
        "vocabulary": len(run.model.vocabulary),
    }


def main() -> int:
    """Measure one factor and print the result as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--factor", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(json.dumps(measure(args.data, args.factor)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
