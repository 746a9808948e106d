"""What the abuse tests read off a running server: answers, metrics, processes."""

import sys
import time
from pathlib import Path

from tests.serving import REPO

# Headers every answer must carry, whatever its status.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
}
# Strings that betray a traceback or the server's file layout.
LEAK_MARKERS = (
    "Traceback",
    'File "',
    str(REPO),
    sys.prefix,
    "site-packages",
)
# Longest wait for gunicorn to have all its workers, or to replace one.
WORKERS_TIMEOUT_SECONDS = 30


def leaks(body: str) -> list[str]:
    """Return the leak markers found in an answer's body."""
    return [marker for marker in LEAK_MARKERS if marker in body]


def missing_headers(headers: dict[str, str]) -> list[str]:
    """Return the security headers absent from `headers` or with a wrong value."""
    present = {name.lower(): value for name, value in headers.items()}
    return [
        name
        for name, value in SECURITY_HEADERS.items()
        if value not in present.get(name.lower(), "")
    ]


def unsafe(headers: dict[str, str], body: str) -> list[str]:
    """Return why an answer is unsafe to send: leaks and missing headers."""
    return leaks(body) + [f"no {name}" for name in missing_headers(headers)]


def children(pid: int) -> list[int]:
    """Return the process ids of `pid`'s children."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def wait_for_workers(
    master: int, count: int, other_than: frozenset = frozenset()
) -> list[int]:
    """Return the master's `count` workers once all are up, none in `other_than`."""
    deadline = time.monotonic() + WORKERS_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        workers = children(master)
        if len(workers) == count and not other_than.intersection(workers):
            return workers
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not have {count} fresh workers in time")


def rss_kib(pid: int) -> int:
    """Return the resident memory of process `pid` in KiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"process {pid} reports no VmRSS")


def unread_bytes(server_port: int, client_port: int) -> int | None:
    """Return the bytes the server has not read yet on one loopback connection.

    None while the kernel shows no such connection on the server's side.
    """
    wanted = (f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}")
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1], fields[2]) == wanted:
            return int(fields[4].split(":")[1], 16)
    return None
