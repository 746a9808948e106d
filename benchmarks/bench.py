"""`make bench`: prediction cost in process and over HTTP, memory, training scale.

Every figure is measured in this run, the fast path side by side with the
plain scikit-learn path and /health as the floor. HTTP load comes from wrk on
loopback, each run bounded by BENCH_SECONDS.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

from benchmarks.texts import SENTENCE, words
from pipeline.predict import Predictor
from pipeline.text import tokenize
from tests.serving import running_server

REPO = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16
TRAIN_FACTORS = [
    int(f) for f in os.environ.get("BENCH_TRAIN_FACTORS", "1 4 16 64").split()
]
FULL_MBTI500_ROWS = 106_067
DATA = Path(os.environ.get("MBTI_DATA_DIR", REPO.parent / "shared" / "data"))
WRK_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("BENCH_BODY"), "r")
wrk.body = f:read("*a")
f:close()
"""


def per_call_ms(function, repeat: int = 7, number: int = 50) -> float:
    """Return the median over `repeat` rounds of one call's time, in ms."""
    rounds = timeit.repeat(function, repeat=repeat, number=number)
    return statistics.median(rounds) / number * 1e3


def in_process(predictor: Predictor) -> list[tuple[str, str]]:
    """Return rows comparing the transform, the fast path and scikit-learn's."""
    reference = Predictor(predictor.model, predictor.card, fast=False)
    long_text = words(500)
    rows = []
    for label, text in (("500 words", long_text), ("12-word sentence", SENTENCE)):
        transform = per_call_ms(lambda t=text: tokenize(t))
        fast = per_call_ms(lambda t=text: predictor.predict([t]))
        slow = per_call_ms(lambda t=text: reference.predict([t]))
        rows += [
            (f"{label}: transform alone", f"{transform:.3f} ms"),
            (
                f"{label}: predict, fast path",
                f"{fast:.3f} ms ({fast / transform:.2f}x transform)",
            ),
            (
                f"{label}: predict, scikit-learn path",
                f"{slow:.3f} ms ({slow / fast:.1f}x fast)",
            ),
        ]
    return rows


def wrk(url: str, body: str | None, folder: Path) -> dict:
    """Return requests/s and error counts of one wrk run against `url`."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    env = dict(os.environ)
    if body is not None:
        script, body_file = folder / "post.lua", folder / "body.json"
        script.write_text(WRK_POST)
        body_file.write_text(body)
        command[1:1] = ["-s", str(script)]
        env["BENCH_BODY"] = str(body_file)
    output = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=SECONDS + 30
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99": re.search(r"99%\s+(\S+)", output).group(1),
        "errors": (non_2xx.group(1) if non_2xx else "0")
        + (f"; socket {socket_errors.group(1)}" if socket_errors else ""),
    }


def worker_memory(process: subprocess.Popen) -> str:
    """Return RSS and PSS (MiB) of each gunicorn worker of master `process`."""
    cells = []
    for pid in _child_pids(process.pid):
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1)) / 1024
        pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) / 1024
        cells.append(f"RSS {rss:.0f} / PSS {pss:.0f}")
    return "; ".join(cells) + " MiB per worker"


def _child_pids(pid: int) -> list[int]:
    """Return the pids of the direct children of `pid`."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def over_http(env: dict, label: str) -> tuple[list[tuple[str, str]], str]:
    """Return wrk rows for one server configuration and its workers' memory.

    The loads run in ROUNDS interleaved rounds and each figure is the median,
    because this virtual machine's speed drifts by tens of percent over a
    minute: back-to-back single runs would compare different machines.
    """
    text = words(100)
    loads = {"GET /health": None, "POST /predict, 100 words": {"text": text}}
    loads |= {f"batch of {size}": {"texts": [text] * size} for size in (1, 32, 256)}
    results: dict[str, list[dict]] = {name: [] for name in loads}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with running_server(folder, env=env, workers=2) as (url, process):
            for _ in range(ROUNDS):
                for name, body in loads.items():
                    path = "/health" if body is None else "/predict"
                    payload = None if body is None else json.dumps(body)
                    results[name].append(wrk(f"{url}{path}", payload, folder))
            memory = worker_memory(process)

    def median_rps(name: str) -> float:
        return statistics.median(r["rps"] for r in results[name])

    def errors(name: str) -> str:
        return ", ".join(r["errors"] for r in results[name])

    health = median_rps("GET /health")
    single = median_rps("POST /predict, 100 words")
    rows = [
        (
            f"{label}: GET /health",
            f"{health:,.0f} req/s (non-2xx {errors('GET /health')})",
        ),
        (
            f"{label}: POST /predict, 100 words",
            f"{single:,.0f} req/s ({single / health:.2f}x /health; "
            f"non-2xx {errors('POST /predict, 100 words')})",
        ),
    ]
    batch_of_one = median_rps("batch of 1")
    for size in (1, 32, 256):
        name = f"batch of {size}"
        texts_per_second = median_rps(name) * size
        gain = texts_per_second / batch_of_one
        rows.append(
            (
                f"{label}: {name}",
                f"{texts_per_second:,.0f} texts/s ({gain:.1f}x batch of 1;"
                f" non-2xx {errors(name)})",
            )
        )
    return rows, memory


def training_scale() -> list[tuple[str, str]]:
    """Return training time, peak memory and artifact size per sample multiple."""
    if not (DATA / "mbti500_sample.csv").is_file():
        return [("training scale", f"skipped: no sample data in {DATA}")]
    points = []
    for factor in TRAIN_FACTORS:
        output = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.train_scale",
                "--data",
                str(DATA / "mbti500_sample.csv"),
                "--factor",
                str(factor),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        ).stdout
        points.append(json.loads(output.strip().splitlines()[-1]))
    rows = [
        (
            f"training, {p['rows']:,} rows ({p['factor']}x)",
            f"{p['seconds']:.0f} s, peak RSS {p['peak_rss_mib']:.0f} MiB, "
            f"artifact {p['artifact_mib']:.1f} MiB, vocabulary {p['vocabulary']:,}",
        )
        for p in points
    ]
    if len(points) >= 2:
        label = f"training, extrapolated to {FULL_MBTI500_ROWS:,} rows"
        rows.append((label, _extrapolate(points)))
    return rows


def _extrapolate(points: list[dict]) -> str:
    """Return time, memory and artifact size at the full MBTI 500 size.

    The search runs on a capped subsample, so past the cap time and memory grow
    linearly with rows: a line through the last two points. The vocabulary is
    capped by max_features, so the artifact is at most the largest measured.
    """
    first, last = points[-2], points[-1]
    extra_rows = FULL_MBTI500_ROWS - last["rows"]
    rows_between = last["rows"] - first["rows"]
    seconds = last["seconds"] + extra_rows * (
        (last["seconds"] - first["seconds"]) / rows_between
    )
    memory = last["peak_rss_mib"] + extra_rows * (
        (last["peak_rss_mib"] - first["peak_rss_mib"]) / rows_between
    )
    largest = max(points, key=lambda p: p["vocabulary"])
    return (
        f"~{seconds / 60:.1f} min, ~{memory / 1024:.1f} GiB peak (linear from the last"
        f" two points); artifact <= {largest['artifact_mib']:.1f} MiB (measured at"
        f" the largest vocabulary, {largest['vocabulary']:,} terms)"
    )


def main() -> int:
    """Print the benchmark table."""
    started = time.monotonic()
    predictor = Predictor.from_folder(REPO / "artifacts")
    rows = in_process(predictor)
    limits = {"MBTI_MAX_BATCH": "256"}
    fast_rows, fast_memory = over_http(limits, "fast path")
    slow_rows, _ = over_http({**limits, "MBTI_FAST_PATH": "0"}, "scikit-learn path")
    rows += fast_rows + slow_rows
    rows.append(("memory, fast path server (2 workers, preloaded)", fast_memory))
    rows += training_scale()

    width = max(len(name) for name, _ in rows)
    print(f"\n{'measurement':<{width}}  result")
    print(f"{'-' * width}  {'-' * 60}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(
        f"\n({time.monotonic() - started:.0f} s; wrk -t2 -c{CONNECTIONS} -d{SECONDS}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
