"""What the Dockerfile promises: pinned bases, a checked artifact, no root."""

import hashlib
import re
import shutil
import subprocess

import pytest

from tests.delivery.dockerfile import (
    REPO,
    final_instruction,
    instructions,
    runtime_env,
    stages,
)

ARTIFACTS = REPO / "artifacts"
DOCKERIGNORE = REPO / ".dockerignore"
# python:<3.11.patch>-slim-bookworm, optionally with a digest.
PINNED_BASE = re.compile(r"^python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?$")


def _checksum_step() -> str:
    """Return the shell command of the RUN that verifies SHA256SUMS."""
    (command,) = [
        i.arguments
        for i in instructions()
        if i.keyword == "RUN" and "sha256sum" in i.arguments
    ]
    return command


def _run_checksum_step(folder) -> subprocess.CompletedProcess:
    """Run the build's checksum step in `folder`, as the build runs it there."""
    return subprocess.run(
        ["sh", "-c", _checksum_step()],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _lfs_pointer(content: bytes) -> bytes:
    """Return the Git LFS pointer a checkout without LFS leaves for `content`."""
    oid = hashlib.sha256(content).hexdigest()
    return (
        "version https://git-lfs.github.com/spec/v1\n"
        f"oid sha256:{oid}\nsize {len(content)}\n"
    ).encode("ascii")


def test_every_stage_starts_from_a_pinned_python_3_11_bookworm_image():
    bases = [stage[0].arguments.split()[0] for stage in stages()]
    assert len(bases) >= 2, "expected a builder stage and a runtime stage"
    for base in bases:
        assert PINNED_BASE.match(base), f"{base} is not pinned to a 3.11 patch"


def test_build_checksum_step_accepts_the_shipped_artifact():
    result = _run_checksum_step(ARTIFACTS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "damage",
    [_lfs_pointer, lambda content: content[:-1] + bytes([content[-1] ^ 1])],
    ids=["git-lfs-pointer", "one-bit-flipped"],
)
def test_build_checksum_step_rejects_a_changed_model(tmp_path, damage):
    folder = tmp_path / "artifacts"
    shutil.copytree(ARTIFACTS, folder)
    model = folder / "model.joblib"
    model.write_bytes(damage(model.read_bytes()))

    result = _run_checksum_step(folder)

    assert result.returncode != 0
    assert "model.joblib: FAILED" in result.stdout


def test_image_runs_as_a_non_root_user():
    user = final_instruction("USER").arguments.split(":")[0]
    assert user not in {"root", "0"}


def test_image_listens_on_all_interfaces_on_port_8000():
    env = runtime_env()
    assert (env["HOST"], env["PORT"]) == ("0.0.0.0", "8000")
    assert final_instruction("EXPOSE").arguments == "8000"


def test_image_keeps_its_runtime_files_under_tmp():
    env = runtime_env()
    assert env["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")


def test_gunicorn_opens_no_control_socket_in_the_read_only_home():
    config = (REPO / "service" / "gunicorn_conf.py").read_text()
    assert "control_socket_disable = True" in config


def test_entrypoint_is_bin_serve():
    entrypoint = final_instruction("ENTRYPOINT").arguments
    assert entrypoint.rstrip().endswith('"/app/bin/serve"]')


def test_copied_sources_exist_and_are_in_the_build_context():
    kept = [
        line[1:].strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    ]
    for instruction in instructions():
        if instruction.keyword != "COPY" or "--from=" in instruction.arguments:
            continue
        words = [w for w in instruction.arguments.split() if not w.startswith("--")]
        for source in words[:-1]:
            source = source.rstrip("/")
            assert (REPO / source).exists(), f"COPY source {source} is missing"
            assert any(
                source == keep or source.startswith(f"{keep}/") for keep in kept
            ), f"{source} is excluded from the build context by .dockerignore"
