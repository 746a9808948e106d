"""Fixtures for the delivery tests: the pinned checkers installed next to Python."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.delivery.dockerfile import REPO

# make setup installs requirements-tools.txt into the same environment as pytest.
TOOLS_DIR = Path(sys.executable).parent
# A checker that has not answered by then is stuck, not slow.
TOOL_TIMEOUT_SECONDS = 120


@pytest.fixture
def run_tool(tmp_path) -> Callable[..., subprocess.CompletedProcess]:
    """Return a function running a pinned checker from TOOLS_DIR in the repo."""
    env = {
        **os.environ,
        # actionlint hands `run:` scripts to the ShellCheck found on PATH.
        "PATH": f"{TOOLS_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
        # Keep any user configuration or cache of the checkers out of the run.
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }

    def run(name: str, *args: str | Path) -> subprocess.CompletedProcess:
        executable = TOOLS_DIR / name
        if not executable.is_file():
            pytest.fail(
                f"{name} is not installed next to {sys.executable}; install the "
                "pinned checkers with `make setup` (requirements-tools.txt)."
            )
        return subprocess.run(
            [str(executable), *map(str, args)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_SECONDS,
            check=False,
        )

    return run
