"""Read the instructions of the repository's Dockerfile that the tests check."""

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"


@dataclass(frozen=True)
class Instruction:
    """One instruction, its continuation lines joined into `arguments`."""

    keyword: str
    arguments: str


def instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    """Return the instructions of the Dockerfile at `path`, in order."""
    result = []
    pending = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        # Docker drops comment lines, also those inside a continued instruction.
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        result.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    return result


def stages(path: Path = DOCKERFILE) -> list[list[Instruction]]:
    """Return the instructions grouped by stage, each list starting with FROM."""
    result: list[list[Instruction]] = []
    for instruction in instructions(path):
        if instruction.keyword == "FROM":
            result.append([])
        result[-1].append(instruction)
    return result


def runtime_env(path: Path = DOCKERFILE) -> dict[str, str]:
    """Return the ENV variables of the final stage, values as written."""
    env = {}
    for instruction in stages(path)[-1]:
        if instruction.keyword != "ENV":
            continue
        for pair in shlex.split(instruction.arguments):
            name, equals, value = pair.partition("=")
            if not equals:
                raise ValueError(
                    f"ENV {instruction.arguments!r} uses the legacy 'ENV name value' "
                    "form; write name=value pairs."
                )
            env[name] = value
    return env


def healthcheck_command(path: Path = DOCKERFILE) -> list[str]:
    """Return the exec-form command of the final stage's HEALTHCHECK."""
    (check,) = [i for i in stages(path)[-1] if i.keyword == "HEALTHCHECK"]
    _, cmd, command = check.arguments.partition("CMD ")
    if not cmd or not command.lstrip().startswith("["):
        raise ValueError("HEALTHCHECK must use the exec form: CMD [...].")
    return json.loads(command)


def final_instruction(keyword: str, path: Path = DOCKERFILE) -> Instruction:
    """Return the last `keyword` instruction of the final stage."""
    matches = [i for i in stages(path)[-1] if i.keyword == keyword]
    if not matches:
        raise LookupError(f"the final stage has no {keyword} instruction")
    return matches[-1]
