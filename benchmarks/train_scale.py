"""Time and peak memory of training at multiples of the sample, in a fresh process.

Rows are repeated, for timing only: repeats keep the sample's vocabulary, so
the memory of the vocabulary itself is under-estimated (see RESULTS.md).
"""

import argparse
import json
import logging
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import joblib

from pipeline.data import Dataset, read_csv
from pipeline.train import TrainingConfig, fit_dataset


def _tree_rss_kib(root: int) -> int:
    """Return the summed VmRSS of `root` and all its descendants, in KiB."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # the process ended while we looked
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields["PPid"])
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree)


class PeakMemory(threading.Thread):
    """Sample this process tree's resident memory until stopped; keep the peak.

    Classifier fits run in worker processes, whose memory the process's own
    ru_maxrss does not include.
    """

    def __init__(self, interval: float = 0.5):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))


def measure(data: Path, factor: int) -> dict:
    """Return wall time, peak resident memory and artifact size of one fit."""
    sample = read_csv(data)
    dataset = Dataset(sample.texts * factor, sample.types * factor)

    sampler = PeakMemory()
    sampler.start()
    started = time.perf_counter()
    run = fit_dataset(dataset, TrainingConfig())
    seconds = time.perf_counter() - started
    sampler.stopped.set()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        joblib.dump(run.model, path, compress=3)
        size = path.stat().st_size
    peak_kib = max(sampler.peak_kib, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
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
