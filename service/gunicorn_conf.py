"""Gunicorn settings for the MBTI service; bin/serve starts gunicorn with them.

Every value can be overridden by the environment variable named beside it.
"""

import os
import sys

from prometheus_client import multiprocess

# Address and port to listen on (HOST, PORT). Containers set HOST=0.0.0.0.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Worker processes (WORKERS); worker class (WORKER_CLASS) and threads per
# worker (THREADS), chosen by measurement: see benchmarks/RESULTS.md.
workers = int(os.environ.get("WORKERS", "2"))
worker_class = os.environ.get("WORKER_CLASS", "gthread")
threads = int(os.environ.get("THREADS", "4"))
# Load the model once in the master, before forking: workers share its memory
# and none takes traffic before the model is verified and warmed.
preload_app = True
# A worker whose main loop stalls this long is killed and replaced (TIMEOUT).
# With gthread workers this is a liveness check, not a per-request limit.
timeout = int(os.environ.get("TIMEOUT", "30"))
# On SIGTERM, in-flight requests get this long to finish.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so slow leaks cannot grow without bound; the
# jitter keeps them from restarting together. Metrics stay exact: a dead
# worker's counters remain in the multiprocess directory.
# At 10,000 a busy server recycled a worker every few seconds, each time a stall
# of hundreds of milliseconds; at this rate it is minutes (benchmarks/RESULTS.md).
max_requests = int(os.environ.get("MAX_REQUESTS", "100000"))
max_requests_jitter = int(os.environ.get("MAX_REQUESTS_JITTER", "10000"))
# Refuse oversized request lines and headers before the app parses anything.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# No runtime control socket: nothing here uses it, and by default gunicorn puts
# it in the home directory, where two servers on one machine would share it.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Without this only gunicorn's own loggers have handlers, and the service's
# log lines (model loaded and its version, refused artifacts) would be lost.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": loglevel.upper(), "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "propagate": False,
                           "handlers": ["error_console"]},
        "gunicorn.access": {"level": "INFO", "propagate": False,
                            "handlers": ["console"]},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "generic",
                    "stream": "ext://sys.stdout"},
        "error_console": {"class": "logging.StreamHandler", "formatter": "generic",
                          "stream": "ext://sys.stderr"},
    },
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] "
                              "%(name)s: %(message)s"},
    },
}  # fmt: skip


# A worker's threads hand the GIL to each other every this many seconds. Python's
# 5 ms default let one CPU-bound prediction keep the other threads waiting and
# made throughput swing by a factor of three between identical runs; 0.2 ms
# kept it steady (benchmarks/RESULTS.md).
GIL_SWITCH_INTERVAL_SECONDS = 0.0002


def post_fork(server, worker):
    """Shorten the GIL switch interval in each worker (see above)."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)


def child_exit(server, worker):
    """Tell prometheus_client a worker is gone, so its live gauges are dropped."""
    multiprocess.mark_process_dead(worker.pid)
