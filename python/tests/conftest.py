"""Shared fixtures: the command line the results are compared with, and generated inputs."""

import json
import os
import pathlib
import subprocess

import numpy as np
import pytest


def _find_cli():
    # ctest passes the binary it built; by hand, build/bin/resample of this checkout.
    given = os.environ.get("RESAMPLE_CLI")
    if given:
        return given
    here = pathlib.Path(__file__).resolve().parents[2] / "build" / "bin" / "resample"
    return str(here) if here.exists() else None


CLI = _find_cli()


def values_option(values):
    # repr() is the shortest text that reads back as the same double, so both sides analyse
    # identical numbers; "=" keeps a leading minus from reading as an option.
    return "--values=" + ",".join(repr(float(v)) for v in values)


def run_cli(*args):
    if CLI is None:
        pytest.skip("the resample command line was not found (set RESAMPLE_CLI)")
    out = subprocess.run([CLI, *args, "--format", "json"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def generated_inputs(count, seed, n_range=(5, 14)):
    """Samples of each kind the engine routes differently: integers with ties and zeros, halves,
    and real values (no common lattice)."""
    rng = np.random.default_rng(seed)
    samples = []
    for i in range(count):
        n = int(rng.integers(n_range[0], n_range[1] + 1))
        kind = i % 3
        if kind == 0:
            x = rng.integers(-4, 10, size=n).astype(float)
        elif kind == 1:
            x = rng.integers(-8, 20, size=n) / 2.0
        else:
            x = np.round(rng.normal(1.0, 3.0, size=n), 3)
        if not np.any(x != 0):
            x[0] = 1.0
        samples.append(x)
    return samples


@pytest.fixture
def cli():
    return run_cli
