"""Concurrency: 8 processes answering label tasks and promoting at once lose nothing."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from mllifecycle.store import LabelQueue, Registry, Store

WORKERS = Path(__file__).with_name("_store_workers.py")
ROOT = Path(__file__).resolve().parents[2]
N_WORKERS = 8
# 8 x 250 answers by default (the 10,000: MLLIFECYCLE_TEST_STORE_ANSWERS=10000)
N_TASKS = int(os.environ.get("MLLIFECYCLE_TEST_STORE_ANSWERS", "2000"))
N_PROMOTE = 3  # registrations + promotions per worker


def test_eight_processes_lose_no_answer_and_no_version(store_url):
    store = Store(store_url)
    q = LabelQueue(store)
    ids = q.enqueue([{"row": i} for i in range(N_TASKS)], priority=[i % 7 for i in range(N_TASKS)])
    store.close()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "work", store_url, f"w{k}", str(N_PROMOTE)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(N_WORKERS)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    # every task leased by exactly one worker, and answered exactly once
    leased = Counter(t for r in results for t in r["leased"])
    assert sorted(leased) == sorted(ids)
    assert set(leased.values()) == {1}
    assert sum(r["answered"] for r in results) == N_TASKS
    store = Store(store_url)
    q = LabelQueue(store)
    answers = q.answers()
    assert len(answers) == N_TASKS
    assert sorted(a["task"] for a in answers) == sorted(ids)
    assert all(a["label"] == f"{a['worker']}:{a['task']}" for a in answers)
    assert q.resolve() == N_TASKS
    assert len(q.export()) == N_TASKS

    # every registration got its own version number, every promotion is in the history
    reg = Registry(store)
    registered = sorted(v for r in results for v in r["registered"])
    assert registered == list(range(1, N_WORKERS * N_PROMOTE + 1))
    assert [v.version for v in reg.versions("shared")] == registered
    history = reg.history("shared")
    assert sum(e.kind == "register" for e in history) == N_WORKERS * N_PROMOTE
    promotions = [e for e in history if e.kind == "promote"]
    assert len(promotions) == sum(sum(r["promoted"]) for r in results) == N_WORKERS * N_PROMOTE
    # promotions are serialised: each one's "from" is the previous one's "to"
    for before, after in itertools.pairwise(promotions):
        assert after.from_version == before.to_version
    assert reg.champion("shared").version == promotions[-1].to_version
    assert store.check() == []
