"""Request and response models of the HTTP API, validated by pydantic.

The same models describe the API in JSON Schema, from which an OpenAPI
document can be generated.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AXIS_ORDER_NOTE = "Axes in the order IE, NS, TF, JP."
TYPE_PATTERN = "^[IE][NS][TF][JP]$"
EXAMPLE_TEXT = "I love deep conversations and thinking about abstract ideas."
# "Exactly one of text or texts", in JSON Schema: pydantic cannot derive it from
# the validator below. A null field counts as absent, as the validator treats it.
REQUEST_SCHEMA_EXTRA = {
    "oneOf": [
        {"required": ["text"], "properties": {"text": {"type": "string"}}},
        {"required": ["texts"], "properties": {"texts": {"type": "array"}}},
    ],
    "examples": [
        {"text": EXAMPLE_TEXT},
        {"texts": [EXAMPLE_TEXT, "We went out partying with friends all weekend."]},
    ],
}


class PredictRequest(BaseModel):
    """Exactly one of `text` (one prediction) or `texts` (a batch)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra=REQUEST_SCHEMA_EXTRA
    )

    text: str | None = Field(default=None, description="One text to classify.")
    texts: list[str] | None = Field(
        default=None, min_length=1, description="Several texts, answered in order."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "PredictRequest":
        if (self.text is None) == (self.texts is None):
            raise ValueError("send exactly one of 'text' or 'texts'")
        return self

    def as_batch(self) -> list[str]:
        """Return the texts of the request as a list, one for `text`."""
        return [self.text] if self.text is not None else list(self.texts)


class AxisAnswer(BaseModel):
    """One axis: the winning letter and both letters' probabilities."""

    axis: Literal["IE", "NS", "TF", "JP"]
    letter: Literal["I", "E", "N", "S", "T", "F", "J", "P"]
    probability: float = Field(ge=0, le=1)
    probabilities: dict[str, float]


class Alternative(BaseModel):
    """A runner-up type and its probability under the model."""

    mbti_type: str = Field(pattern=TYPE_PATTERN, examples=["INFP"])
    probability: float = Field(ge=0, le=1)


class PredictionAnswer(BaseModel):
    """The answer for one text."""

    mbti_type: str = Field(pattern=TYPE_PATTERN, examples=["INFJ"])
    confidence: float = Field(
        ge=0, le=1, description="Product of the four winning axis probabilities."
    )
    axes: list[AxisAnswer] = Field(description=AXIS_ORDER_NOTE)
    alternatives: list[Alternative]
    model_version: str


class BatchAnswer(BaseModel):
    """The answers for a batch, in the order of the texts."""

    predictions: list[PredictionAnswer]
    model_version: str


class ErrorDetail(BaseModel):
    """A stable machine-readable code and a sentence for people."""

    code: str = Field(description="One of a closed set; see each status.")
    message: str = Field(description="What went wrong and what to do.")


class ErrorAnswer(BaseModel):
    """The shape of every 4xx and 5xx answer."""

    error: ErrorDetail


class HealthAnswer(BaseModel):
    """The process is alive."""

    status: Literal["ok"]


class ReadyAnswer(BaseModel):
    """The model is loaded and warmed."""

    status: Literal["ready"]


class DataSummary(BaseModel):
    """The training data: file names, fingerprint and rows per split."""

    files: list[str]
    sha256: str
    rows: dict[str, int]


class AxisMetrics(BaseModel):
    """One axis on the held-out test split, beside the majority baseline."""

    accuracy: float
    balanced_accuracy: float
    roc_auc: float | None = Field(description="None when the test split has one class.")
    majority_baseline: float


class HeldOutMetrics(BaseModel):
    """Headline metrics on the held-out test split."""

    axes: dict[str, AxisMetrics]
    type_accuracy: float
    type_majority_baseline: float
    top3_accuracy: float
    test_rows: int


class ModelSummary(BaseModel):
    """The model card's summary."""

    model_version: str
    trained_at: str
    data: DataSummary
    versions: dict[str, str]
    classifiers: dict[str, dict[str, Any]]
    metrics: HeldOutMetrics
