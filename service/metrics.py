"""Prometheus metrics: HTTP metrics from the exporter, and the model's own.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR is set (and emptied) by bin/serve
before any process starts; prometheus_client then keeps each worker's values
in files there and /metrics adds them up, so counts are exact across workers.
Every label value comes from a closed set: no user input reaches a label.
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_flask_exporter import PrometheusMetrics

from pipeline.compose import Prediction
from pipeline.data import AXES, MBTI_TYPES
from pipeline.predict import TextStats
from service.errors import CLIENT_ERROR_CODES

# Confidence is a product of four probabilities of at least 0.5: it lies in
# [0.0625, 1]. Buckets are finer at the low end, where most answers fall.
CONFIDENCE_BUCKETS = (
    0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.14, 0.16, 0.18, 0.2, 0.225, 0.25, 0.3,
    0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
)  # fmt: skip
PROBABILITY_BUCKETS = tuple(round(0.05 * i, 2) for i in range(1, 21))
TOKEN_BUCKETS = (1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
COVERAGE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)


class ModelMetrics:
    """The model's metrics and the training reference, on one registry."""

    def __init__(self, registry: CollectorRegistry):
        self.predictions = Counter(
            "mbti_predictions", "Texts answered, by predicted type.",
            ["mbti_type"], registry=registry,
        )  # fmt: skip
        self.confidence = Histogram(
            "mbti_prediction_confidence", "Confidence of each answered text.",
            buckets=CONFIDENCE_BUCKETS, registry=registry,
        )  # fmt: skip
        self.axis_probability = Histogram(
            "mbti_axis_probability",
            "Probability of the axis's first letter (I, N, T, J) per text.",
            ["axis"], buckets=PROBABILITY_BUCKETS, registry=registry,
        )  # fmt: skip
        self.input_tokens = Histogram(
            "mbti_input_tokens", "Tokens per text after the text transform.",
            buckets=TOKEN_BUCKETS, registry=registry,
        )  # fmt: skip
        self.coverage = Histogram(
            "mbti_vocabulary_coverage", "Share of a text's tokens the model knows.",
            buckets=COVERAGE_BUCKETS, registry=registry,
        )  # fmt: skip
        self.rejected = Counter(
            "mbti_rejected_requests", "Requests refused as client errors, by reason.",
            ["reason"], registry=registry,
        )  # fmt: skip
        # Every type's and reason's series exists from the start at 0, so rate()
        # also sees what happened before a label's first scrape. The per-text
        # series are kept: labels() costs as much as the update itself.
        self._per_type = {t: self.predictions.labels(mbti_type=t) for t in MBTI_TYPES}
        self._per_axis = [self.axis_probability.labels(axis=axis) for axis in AXES]
        for reason in CLIENT_ERROR_CODES:
            self.rejected.labels(reason=reason)
        # Constant per process: "max" reports the one value all processes share.
        gauge = {"registry": registry, "multiprocess_mode": "max"}
        self.model_info = Gauge(
            "mbti_model_info", "The model in use (always 1).",
            ["version", "trained_at", "data_sha256"], **gauge,
        )  # fmt: skip
        self.reference_confidence = Gauge(
            "mbti_reference_confidence",
            "Held-out confidence quantiles from the model card.",
            ["quantile"], **gauge,
        )  # fmt: skip
        self.reference_confidence_mean = Gauge(
            "mbti_reference_confidence_mean",
            "Held-out mean confidence from the model card.", **gauge,
        )  # fmt: skip
        self.reference_letter_share = Gauge(
            "mbti_reference_letter_share",
            "Held-out share of answers with each letter, from the model card.",
            ["letter"], **gauge,
        )  # fmt: skip
        self.reference_axis_probability_mean = Gauge(
            "mbti_reference_axis_probability_mean",
            "Held-out mean probability of each axis's first letter.",
            ["axis"], **gauge,
        )  # fmt: skip

    def publish_model(self, card: dict) -> None:
        """Set the model info and reference gauges from the model card."""
        self.model_info.labels(
            version=card["model_version"],
            trained_at=card["trained_at"],
            data_sha256=card["data"]["sha256"][:16],
        ).set(1)
        reference = card["reference"]
        for quantile, value in reference["confidence_quantiles"].items():
            self.reference_confidence.labels(quantile=quantile).set(value)
        self.reference_confidence_mean.set(reference["confidence_mean"])
        for letter, share in reference["letter_share"].items():
            self.reference_letter_share.labels(letter=letter).set(share)
        for axis, mean in reference["axis_probability_mean"].items():
            self.reference_axis_probability_mean.labels(axis=axis).set(mean)

    def observe(self, prediction: Prediction, stats: TextStats) -> None:
        """Record one answered text."""
        self._per_type[prediction.mbti_type].inc()
        self.confidence.observe(prediction.confidence)
        for axis, series, result in zip(
            AXES, self._per_axis, prediction.axes, strict=True
        ):
            series.observe(result.probabilities[axis[0]])
        self.input_tokens.observe(stats.tokens)
        self.coverage.observe(stats.coverage)

    def reject(self, reason: str) -> None:
        """Count one refused request; `reason` is an error code."""
        self.rejected.labels(reason=reason).inc()


def create_exporter(app) -> tuple[PrometheusMetrics, ModelMetrics]:
    """Attach HTTP metrics and /metrics to `app`; return them with model metrics.

    Each app gets its own registry, so building several apps in one process
    (as tests do) never registers a time series twice. In multiprocess mode the
    values live in files shared by all workers whatever the registry.
    """
    registry = CollectorRegistry(auto_describe=True)
    exporter = PrometheusMetrics(
        app,
        registry=registry,
        path="/metrics",
        group_by="endpoint",  # bounded: unknown paths all fall under "None"
        defaults_prefix="flask",
    )
    return exporter, ModelMetrics(registry)
