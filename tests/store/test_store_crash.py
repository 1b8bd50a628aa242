"""Crash safety: a process killed with SIGKILL inside register/promote/rollback/submit
leaves the store consistent (the champion old or new, no half-written rows)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import LabelQueue, Registry, Store

WORKERS = Path(__file__).with_name("_store_workers.py")
ROOT = Path(__file__).resolve().parents[2]
GATE = MetricThreshold("accuracy", minimum=0.5)
CTX = GateContext(y_true=[0, 1], challenger=[0, 1])


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


def _seed(url):
    """A store with model 'm' at champion 2 (versions 1, 2) and one queued task."""
    reg = Registry(Store(url))
    for _ in range(2):
        v = reg.register("m", {"constant": 0}, format="pickle")
        reg.promote("m", v.version, gates=GATE, context=CTX)
    LabelQueue(reg.store).enqueue(["an item"])
    reg.store.close()


def _assert_consistent(url, champions):
    store = Store(url)
    assert store.check() == []
    reg = Registry(store)
    champ = reg.champion("m").version
    assert champ in champions
    versions = reg.versions("m")
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    for v in versions:  # every registered version reads and loads
        assert isinstance(reg.load("m", v.version, trusted=True), dict)
    history = reg.history("m")
    assert all(e.version is None or e.version <= len(versions) for e in history)
    promos = [e for e in history if e.kind in ("promote", "rollback")]
    assert promos[-1].to_version == champ
    # the store still takes writes (no lock left behind)
    v = reg.register("m", {"constant": 0}, format="pickle")
    assert reg.promote("m", v.version, gates=GATE, context=CTX).champion == v.version
    store.close()
    return champ, len(versions)


POINTS = [
    ("register:artifact", {2}, 2),
    ("register:version", {2}, 2),
    ("register:event", {2}, 2),
    ("promote:event", {2}, 3),
    ("promote:champion", {2}, 3),
    ("rollback:event", {2}, 2),
]


@pytest.mark.parametrize(("point", "champions", "n_versions"), POINTS, ids=[p[0] for p in POINTS])
def test_sigkill_inside_a_transaction(store_url, point, champions, n_versions):
    _seed(store_url)
    proc = subprocess.run(
        [sys.executable, str(WORKERS), "crash-at", store_url, point],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "survived" not in proc.stdout
    _, n = _assert_consistent(store_url, champions)
    assert n == n_versions  # the killed registration left no row (promote's did commit)


def test_sigkill_inside_submit_loses_the_answer_not_the_task(store_url):
    _seed(store_url)
    proc = subprocess.run(
        [sys.executable, str(WORKERS), "crash-at", store_url, "submit:answer"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    store = Store(store_url)
    assert store.check() == []
    q = LabelQueue(store)
    assert q.answers() == []
    assert q.counts() == {"open": 0, "leased": 1, "answered": 0, "resolved": 0}


def test_sigkill_at_random_moments(store_url):
    """Kill a register/promote loop at random times; every time the store is whole."""
    _seed(store_url)
    rng = np.random.default_rng(5)
    for delay in rng.uniform(0.05, 0.6, size=3):
        proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "loop", store_url],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
        reg = Registry(Store(store_url))
        n = len(reg.versions("m"))
        reg.store.close()
        # the champion is a registered version: the last one, or the one before when
        # the kill fell between a registration and its promotion
        _assert_consistent(store_url, {n, n - 1})
