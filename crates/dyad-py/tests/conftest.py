"""Shared fixtures: the repository, the `dyad` binary to compare with, and a Coder."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"


def dyad_bin() -> Path:
    p = Path(os.environ.get("DYAD_BIN", REPO / "target" / "debug" / "dyad"))
    if not p.exists():
        pytest.fail(f"{p} is missing: build it with `cargo build -p dyad-cli` or set DYAD_BIN")
    return p


def run_cli(*args, check=True, cwd=REPO):
    """Runs `dyad ARGS` in the repository (so that it finds dict/ and models/ as the package
    does) and returns the finished process."""
    env = {k: v for k, v in os.environ.items() if k not in ("DYAD_DICT", "DYAD_MODEL")}
    p = subprocess.run(
        [str(dyad_bin()), "--quiet", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if check and p.returncode != 0:
        raise AssertionError(f"dyad {' '.join(map(str, args))}: {p.returncode}\n{p.stderr}")
    return p


def cli_events(*args):
    """`dyad code --format jsonl ARGS`, parsed (skipped records allowed: exit status 1)."""
    p = run_cli("code", "--format", "jsonl", *args, check=False)
    assert p.returncode in (0, 1), p.stderr
    out = p.stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="session")
def coder():
    import dyad

    return dyad.Coder()
