"""A bounded load on loopback: client threads send a fixed mix for a fixed time."""

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

from tests.abuse.limits import SMALL
from tests.abuse.observe import unsafe

JSON = "application/json"
# Longest a client waits for one answer before counting it as lost.
REQUEST_TIMEOUT_SECONDS = 10
TEXTS = (
    "I love deep conversations and thinking about abstract ideas.",
    "We went out partying with friends all weekend, so much fun!",
    "I made a detailed plan and a schedule for the whole project.",
    "Honestly I just go with the flow and see what happens next.",
    "Logic matters more to me than feelings when I make decisions.",
    "I worry about how my friends feel and want everyone to be happy.",
)


@dataclass(frozen=True)
class Call:
    """One request of the mix, the status it must get and the texts it scores."""

    name: str
    method: str
    path: str
    body: bytes | None
    status: int
    texts: int = 0
    content_type: str = JSON


def _json(value) -> bytes:
    """Return `value` as a JSON body."""
    return json.dumps(value).encode()


def mix(marker: str = "") -> list[Call]:
    """Return the request mix: predictions, then every kind of mistake.

    `marker` goes into every body that carries user text.
    """
    calls = [
        Call(
            f"text {i}", "POST", "/predict", _json({"text": f"{text} {marker}"}), 200, 1
        )
        for i, text in enumerate(TEXTS)
    ]
    calls += [
        Call("batch", "POST", "/predict", _json({"texts": list(TEXTS[:4])}), 200, 4),
        Call("pair", "POST", "/predict", _json({"texts": list(TEXTS[4:])}), 200, 2),
        Call("health", "GET", "/health", None, 200),
        Call("bad json", "POST", "/predict", f'{{"text": "{marker}'.encode(), 400),
        Call("wrong field", "POST", "/predict", _json({"txt": marker}), 400),
        Call(
            "plain text",
            "POST",
            "/predict",
            marker.encode(),
            415,
            content_type="text/plain",
        ),
        Call("blank", "POST", "/predict", _json({"text": "   "}), 422),
        Call("no known words", "POST", "/predict", _json({"text": "zzq qqz"}), 422),
        Call(
            "big batch",
            "POST",
            "/predict",
            _json({"texts": [TEXTS[0]] * (SMALL.max_batch + 1)}),
            413,
        ),
        Call(
            "long text",
            "POST",
            "/predict",
            _json({"text": marker + "a" * (SMALL.max_text_chars + 1)}),
            413,
        ),
        Call(
            "big body",
            "POST",
            "/predict",
            _json({"text": marker + "a" * SMALL.max_body_bytes}),
            413,
        ),
        Call("unknown path", "GET", "/nope", None, 404),
        Call("wrong method", "GET", "/predict", None, 405),
    ]
    return calls


@dataclass
class Tally:
    """What the clients saw, added up over all threads."""

    answers: Counter = field(default_factory=Counter)
    texts_answered: int = 0
    # A text counts as in flight when its request failed without an answer.
    texts_in_flight: int = 0
    lost: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        """Return how many requests got an answer."""
        return sum(self.answers.values())

    def record(self, call: Call, response: requests.Response) -> None:
        """Add one answer."""
        problems = unsafe(dict(response.headers), response.text)
        with self.lock:
            self.answers[response.status_code] += 1
            if response.status_code != call.status:
                self.wrong.append(f"{call.name}: {response.status_code}")
            elif call.texts:
                self.texts_answered += call.texts
            if problems:
                self.unsafe.append(f"{call.name}: {problems}")

    def record_lost(self, call: Call, error: Exception) -> None:
        """Add one request that got no answer."""
        with self.lock:
            self.lost.append(f"{call.name}: {type(error).__name__}")
            self.texts_in_flight += call.texts


def _client(url: str, calls: list[Call], offset: int, until: float, tally: Tally):
    """Send the mix round-robin from `offset` on one connection until `until`."""
    with requests.Session() as session:
        index = offset
        while time.monotonic() < until:
            call = calls[index % len(calls)]
            index += 1
            try:
                response = session.request(
                    call.method,
                    url + call.path,
                    data=call.body,
                    headers={"Content-Type": call.content_type},
                    timeout=REQUEST_TIMEOUT_SECONDS,
                )
            except requests.RequestException as error:
                tally.record_lost(call, error)
                continue
            tally.record(call, response)


def run_load(
    url: str,
    clients: int,
    seconds: float,
    calls: list[Call],
    tally: Tally | None = None,
) -> Tally:
    """Drive `clients` threads against `url` for `seconds`; return the tally.

    Pass a `tally` to watch it fill from another thread.
    """
    tally = tally if tally is not None else Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(url, calls, n * 3, until, tally))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * REQUEST_TIMEOUT_SECONDS)
    return tally
