"""Child processes for the crash-safety and concurrency tests (run as a script).

    python _store_workers.py crash-at URL POINT      register+promote, SIGKILL at POINT
    python _store_workers.py loop URL                register+promote until killed
    python _store_workers.py work URL WORKER N_PROMOTE  answer tasks, promote N times

The crash points are the labels of ``mllifecycle.store._db._checkpoint`` calls;
this script replaces the registry's and queue's checkpoint with one that kills
its own process there, so the kill lands inside an open transaction.
"""

from __future__ import annotations

import json
import os
import signal
import sys


def _gates():
    from mllifecycle.gates import GateContext, MetricThreshold

    return MetricThreshold("accuracy", minimum=0.5), GateContext(
        y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 0]
    )


def _model(seed):
    # a plain object stored as a pickle: the children skip importing scikit-learn
    # and skops, so each starts in well under a second
    return {"constant": seed % 2}


def crash_at(url, point):
    import mllifecycle.store._queue as queue_mod
    import mllifecycle.store._registry as registry_mod
    from mllifecycle.store import Registry, Store

    def checkpoint(label):
        if label == point:
            os.kill(os.getpid(), signal.SIGKILL)

    registry_mod._checkpoint = checkpoint
    queue_mod._checkpoint = checkpoint
    reg = Registry(Store(url))
    gate, ctx = _gates()
    if point.startswith("submit"):
        from mllifecycle.store import LabelQueue

        q = LabelQueue(reg.store)
        [t] = q.lease("crasher")
        q.submit(t, "crasher", 1)
    elif point.startswith("rollback"):
        reg.rollback("m")
    else:
        v = reg.register("m", _model(1), format="pickle")
        reg.promote("m", v.version, gates=gate, context=ctx)
    print("survived", flush=True)


def loop(url):
    from mllifecycle.store import Registry, Store

    reg = Registry(Store(url))
    gate, ctx = _gates()
    print("ready", flush=True)
    i = 0
    while True:
        v = reg.register("m", _model(i), metrics={"i": i}, format="pickle")
        reg.promote("m", v.version, gates=gate, context=ctx)
        i += 1


def work(url, worker, n_promote):
    from mllifecycle.store import LabelQueue, Registry, Store

    store = Store(url)
    q = LabelQueue(store)
    reg = Registry(store)
    gate, ctx = _gates()
    leased, answered, registered, promoted = [], 0, [], []
    batches = 0
    while True:
        tasks = q.lease(worker, n_tasks=10, ttl=600)
        if not tasks:
            break
        for t in tasks:
            leased.append(t.id)
            q.submit(t, worker, f"{worker}:{t.id}")
            answered += 1
        batches += 1
        if len(registered) < n_promote and batches % 3 == 0:
            v = reg.register("shared", _model(batches), tags={"worker": worker}, format="pickle")
            registered.append(v.version)
            promoted.append(reg.promote("shared", v.version, gates=gate, context=ctx).passed)
    while len(registered) < n_promote:
        v = reg.register("shared", _model(0), tags={"worker": worker}, format="pickle")
        registered.append(v.version)
        promoted.append(reg.promote("shared", v.version, gates=gate, context=ctx).passed)
    print(
        json.dumps(
            {"leased": leased, "answered": answered, "registered": registered, "promoted": promoted}
        ),
        flush=True,
    )


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "crash-at":
        crash_at(*args)
    elif mode == "loop":
        loop(*args)
    elif mode == "work":
        work(args[0], args[1], int(args[2]))
    else:  # pragma: no cover
        raise SystemExit(f"unknown mode {mode}")
