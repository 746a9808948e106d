"""A real Prometheus scraping the real server: counts, rules, dashboard, drift."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests

from pipeline.data import MBTI_TYPES, load_datasets, split
from service.errors import CLIENT_ERROR_CODES
from tests.monitoring.project_files import MODEL_CARD, dashboard_queries, rules
from tests.monitoring.prometheus_process import PrometheusAPI, running_prometheus
from tests.serving import running_server

pytestmark = pytest.mark.slow

BATCH = 64
JSON = "application/json"
TEXT = "text/plain"
# Copies of one text sent as skewed traffic: enough to outweigh the held-out
# answers that share the one-hour window.
SKEWED_COPIES = 5 * BATCH
DRIFT_ALERTS = ("MBTIConfidenceDrift", "MBTILetterShareDrift")
# Requests the API must refuse, each under the error code it must count.
BAD_REQUESTS = [
    ({"json": {"text": "   "}}, "empty_text"),
    ({"json": {"text": "qzxv wkpq zzyzx"}}, "no_known_words"),
    ({"json": {"texts": ["fine words"] * (BATCH + 1)}}, "batch_too_large"),
    ({"data": b"{", "headers": {"Content-Type": JSON}}, "invalid_json"),
    ({"data": b"hi", "headers": {"Content-Type": TEXT}}, "unsupported_media_type"),
]


@dataclass
class Traffic:
    """What the test sent to the server and what it answered."""

    url: str
    types: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)
    answers: list[dict] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Return how many texts were answered."""
        return sum(self.types.values())

    def predict(self, texts: list[str]) -> None:
        """Send `texts` in batches, the first one alone, and keep the answers."""
        self._keep([self._post({"text": texts[0]})])
        for start in range(1, len(texts), BATCH):
            answer = self._post({"texts": texts[start : start + BATCH]})
            self._keep(answer["predictions"])

    def _post(self, body: dict) -> dict:
        """Return the answer to one predict request that must succeed."""
        response = requests.post(f"{self.url}/predict", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def _keep(self, answers: list[dict]) -> None:
        """Count answers by type."""
        self.answers += answers
        self.types.update(answer["mbti_type"] for answer in answers)

    def send_bad_requests(self) -> None:
        """Send every bad request and count the error codes answered."""
        for kwargs, _ in BAD_REQUESTS:
            response = requests.post(f"{self.url}/predict", timeout=30, **kwargs)
            self.rejected[response.json()["error"]["code"]] += 1


@dataclass
class Run:
    """The Prometheus of the run, what was sent, and when each phase settled."""

    prometheus: PrometheusAPI
    traffic: Traffic
    held_out: int
    held_out_at: float = math.nan
    skewed_at: float = math.nan


def held_out_texts(data_dir) -> list[str]:
    """Return the test split the model card's reference was measured on."""
    card = json.loads(MODEL_CARD.read_text(encoding="utf-8"))["split"]
    dataset = load_datasets([data_dir / "mbti500_sample.csv"])
    *_, test = split(dataset, card["validation_size"], card["test_size"], card["seed"])
    return test.texts


def settle(prometheus: PrometheusAPI, answered: int) -> float:
    """Wait until Prometheus holds `answered` and has run the rules on it.

    Return the time of that rule evaluation, to query the phase at later.
    """
    prometheus.wait_until(
        "sum(mbti_predictions_total)", lambda s: s and s[0].value == answered
    )
    scraped = prometheus.value("max(timestamp(mbti_predictions_total))")
    # One interval later the scrape is stored whatever the evaluation's phase.
    samples = prometheus.wait_until(
        "max(timestamp(job:mbti_predictions:increase1h))",
        lambda s: s and s[0].value > scraped + 1,
    )
    return samples[0].value


@pytest.fixture(scope="module")
def run(tmp_path_factory, data_dir, prometheus_binary):
    """Yield a run through three phases of traffic, both servers still up.

    Warm-up: the held-out texts once and every bad request, so each type's
    counter exists before the measured phases. Held-out: the same texts again.
    Skewed: the held-out text answered with the most confidence, many times.
    """
    texts = held_out_texts(data_dir)
    root = tmp_path_factory.mktemp("live")
    (root / "server").mkdir()
    (root / "prometheus").mkdir()
    with running_server(root / "server", workers=2) as (url, _):
        target = url.removeprefix("http://")
        with running_prometheus(root / "prometheus", prometheus_binary, target) as api:
            result = Run(api, Traffic(url), len(texts))
            result.traffic.predict(texts)
            result.traffic.send_bad_requests()
            settle(api, result.traffic.answered)

            result.traffic.predict(texts)
            result.held_out_at = settle(api, result.traffic.answered)

            surest = max(result.traffic.answers, key=lambda a: a["confidence"])
            skewed = texts[result.traffic.answers.index(surest)]
            result.traffic.predict([skewed] * SKEWED_COPIES)
            result.skewed_at = settle(api, result.traffic.answered)
            for name in DRIFT_ALERTS:
                api.wait_until(f'ALERTS{{alertname="{name}"}}', bool)
            yield result


def drift_expression(name: str) -> str:
    """Return the expression of the project's alert `name`, from its rule file."""
    return next(rule["expr"] for rule in rules("alert") if rule["alert"] == name)


def recorded_series() -> list[str]:
    """Return a selector for every recording rule, with the rule's own labels."""
    selectors = []
    for rule in rules("record"):
        labels = ",".join(f'{k}="{v}"' for k, v in rule.get("labels", {}).items())
        selectors.append(f"{rule['record']}{{{labels}}}" if labels else rule["record"])
    return selectors


def test_prediction_counter_equals_texts_answered_across_workers(run):
    by_type = run.prometheus.query("sum by (mbti_type) (mbti_predictions_total)")
    counted = {sample.labels["mbti_type"]: sample.value for sample in by_type}

    assert run.traffic.answered == 2 * run.held_out + SKEWED_COPIES
    # Every type's series exists from start-up, at 0 until that type is answered.
    assert counted == {t: float(run.traffic.types.get(t, 0)) for t in MBTI_TYPES}
    assert run.prometheus.value("sum(mbti_prediction_confidence_count)") == float(
        run.traffic.answered
    )


def test_refused_requests_are_counted_by_reason(run):
    by_reason = run.prometheus.query("sum by (reason) (mbti_rejected_requests_total)")
    counted = {sample.labels["reason"]: sample.value for sample in by_reason}

    assert set(run.traffic.rejected) == {reason for _, reason in BAD_REQUESTS}
    # Every reason's series exists from start-up, at 0 until that refusal happens.
    assert counted == {
        reason: float(run.traffic.rejected.get(reason, 0))
        for reason in CLIENT_ERROR_CODES
    }


@pytest.mark.parametrize("selector", recorded_series())
def test_recording_rule_returns_data(run, selector):
    values = [sample.value for sample in run.prometheus.query(selector)]

    assert any(math.isfinite(value) for value in values), values


@pytest.mark.parametrize(
    ("title", "expr"), dashboard_queries(), ids=[t for t, _ in dashboard_queries()]
)
def test_dashboard_query_returns_data(run, title, expr):
    values = [sample.value for sample in run.prometheus.query(expr)]

    assert any(math.isfinite(value) for value in values), f"{title}: {values}"


@pytest.mark.parametrize("name", DRIFT_ALERTS)
def test_drift_alert_stays_quiet_on_held_out_traffic(run, name):
    at = run.held_out_at
    answers = run.prometheus.value("sum(job:mbti_predictions:increase1h)", at)

    # Enough answers that the volume condition is not what keeps it quiet.
    assert answers >= 100
    assert run.prometheus.query(drift_expression(name), at) == []


@pytest.mark.parametrize("name", DRIFT_ALERTS)
def test_drift_alert_turns_on_with_one_repeated_text(run, name):
    fired = run.prometheus.query(drift_expression(name), run.skewed_at)
    pending = run.prometheus.query(f'ALERTS{{alertname="{name}"}}')

    assert fired
    assert {sample.labels["alertstate"] for sample in pending} == {"pending"}
