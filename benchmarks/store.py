"""Benchmark mllifecycle.store: register + promote latency, and label answers per second.

1. Register + promote: a LogisticRegression fitted on 2,000 x 20 rows is
   registered (model file, lineage) and made the champion, once per
   operation. mllifecycle: ``Registry.register(..., data=(X, y))`` then
   ``Registry.promote`` through a ``MetricThreshold`` gate on 1,000 held-out
   rows (the gate report is recorded). MLflow (the registry a user would
   otherwise pick; ``mlflow-skinny`` in its own virtual environment,
   benchmarks/.venv-mlflow, so the shared interpreter is not changed):
   ``mlflow.sklearn.log_model`` in a run + ``create_model_version`` +
   ``set_registered_model_alias("champion")``, no gate. Both on a SQLite
   file and on the same PostgreSQL server. Before timing, each side's
   champion is loaded back and must predict exactly as the fitted model.
   Rounds alternate (ours, MLflow, ours, ...); per-operation min / median /
   max over all rounds.
2. Label queue throughput: 2,000 tasks answered by 1 and by 8 worker
   processes (lease 10, submit each answer: one transaction per answer),
   answers per second from the first lease to the last answer. No peer: the
   labelling tools a user would pick (Label Studio, Argilla) are servers with
   their own databases, not installable here, so only our figures are given.

Run: ``python benchmarks/store.py`` (PostgreSQL parts need
MLLIFECYCLE_TEST_PG_URL, e.g. ``export MLLIFECYCLE_TEST_PG_URL="$(bash
.ci/start-postgres.sh)"``; they are skipped, and say so, without it).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

import mllifecycle
from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import LabelQueue, Registry, Store

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-mlflow"
MLFLOW_PIN = "mlflow-skinny==3.18.0"
N_ROUNDS = 3
OPS_PER_ROUND = 8
N_TASKS = 2000

MLFLOW_SCRIPT = r"""
import json, logging, sys, time, warnings
warnings.simplefilter("ignore")
logging.getLogger("mlflow").setLevel(logging.ERROR)
import numpy as np
import mlflow, mlflow.sklearn
from mlflow import MlflowClient
from sklearn.linear_model import LogisticRegression
uri, data, n_ops, workdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
import os; os.chdir(workdir)
d = np.load(data)
X, y = d["X"], d["y"]
model = LogisticRegression(max_iter=1000).fit(X[:2000], y[:2000])
mlflow.set_tracking_uri(uri)
client = MlflowClient()
try:
    client.create_registered_model("churn")
except Exception:
    pass
times = []
for i in range(n_ops + 1):  # the first operation warms up (imports, connections): untimed
    t0 = time.perf_counter()
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    mv = client.create_model_version("churn", info.model_uri)
    client.set_registered_model_alias("churn", "champion", mv.version)
    if i:
        times.append(time.perf_counter() - t0)
champion = mlflow.sklearn.load_model("models:/churn@champion")
same = bool(np.array_equal(champion.predict(X[2000:]), model.predict(X[2000:])))
print(json.dumps({"times": times, "same": same, "version": mlflow.__version__}))
"""

WORKER_SCRIPT = r"""
import sys, time
from mllifecycle.store import LabelQueue, Store
url, worker, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
q = LabelQueue(Store(url))
while time.time() < start_at:
    time.sleep(0.001)
n = 0
while True:
    tasks = q.lease(worker, n_tasks=10, ttl=600)
    if not tasks:
        break
    for t in tasks:
        q.submit(t, worker, n % 3)
        n += 1
print(n, time.time())
"""


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def summary(times):
    ms = [t * 1000 for t in times]
    return min(ms), statistics.median(ms), max(ms)


def fmt(stats):
    return "{:.1f} / {:.1f} / {:.1f}".format(*stats)


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {VENV} (venv --system-site-packages + {MLFLOW_PIN} alembic)")
        subprocess.run(
            [sys.executable, "-m", "venv", "--system-site-packages", str(VENV)], check=True
        )
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", MLFLOW_PIN, "alembic>=1.13"], check=True
        )
    return py


def pg_database(admin_url, name):
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def ours_round(url, X, y, n_ops):
    reg = Registry(Store(url))
    model = LogisticRegression(max_iter=1000).fit(X[:2000], y[:2000])
    ctx = GateContext(y_true=y[2000:], challenger=model.predict(X[2000:]))
    gate = MetricThreshold("accuracy", minimum=0.5)
    times = []
    for i in range(n_ops + 1):  # the first operation warms up (imports, connections): untimed
        t0 = time.perf_counter()
        v = reg.register("churn", model, data=(X[:2000], y[:2000]), metrics={"accuracy": 0.9})
        result = reg.promote("churn", v.version, gates=gate, context=ctx)
        if i:
            times.append(time.perf_counter() - t0)
        assert result.passed
    champion = reg.load("churn")
    same = bool(np.array_equal(champion.predict(X[2000:]), model.predict(X[2000:])))
    reg.store.close()
    return times, same


def mlflow_round(py, uri, data, n_ops, workdir):
    out = subprocess.run(
        [str(py), "-c", MLFLOW_SCRIPT, uri, str(data), str(n_ops), workdir],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return res["times"], res["same"], res["version"]


def queue_rate(url, n_workers, extra_env):
    store = Store(url)
    LabelQueue(store).enqueue([{"row": i} for i in range(N_TASKS)])
    store.close()
    env = dict(os.environ, **extra_env)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    start_at = time.time() + 3.0 + 0.5 * n_workers  # all workers imported before the start
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER_SCRIPT, url, f"w{k}", repr(start_at)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(n_workers)
    ]
    outs = [p.communicate()[0].split() for p in procs]
    total = sum(int(o[0]) for o in outs)
    end = max(float(o[1]) for o in outs)
    store = Store(url)
    answers = len(LabelQueue(store).answers())
    store.close()
    assert total == answers == N_TASKS, (total, answers)
    return N_TASKS / (end - start_at)


def main():
    pg_admin = os.environ.get("MLLIFECYCLE_TEST_PG_URL")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 20))
    y = (X @ rng.normal(size=20) + rng.normal(size=3000) > 0).astype(int)
    tmp = Path(tempfile.mkdtemp(prefix="bench_store_"))
    data = tmp / "data.npz"
    np.savez(data, X=X, y=y)
    py = ensure_venv()

    backends = [("SQLite file", str(tmp / "ours.db"), f"sqlite:///{tmp / 'mlflow.db'}")]
    if pg_admin:
        backends.append(
            (
                "PostgreSQL (loopback)",
                pg_database(pg_admin, "bench_ours"),
                pg_database(pg_admin, "bench_mlflow"),
            )
        )
    else:
        print("MLLIFECYCLE_TEST_PG_URL unset: PostgreSQL skipped")

    rows = []
    mlflow_version = "?"
    for label, ours_url, mlflow_uri in backends:
        ours_t, theirs_t = [], []
        for r in range(N_ROUNDS):
            t, same = ours_round(ours_url, X, y, OPS_PER_ROUND)
            assert same, "our champion does not predict as the fitted model"
            ours_t += t
            t, same, mlflow_version = mlflow_round(py, mlflow_uri, data, OPS_PER_ROUND, str(tmp))
            assert same, "MLflow's champion does not predict as the fitted model"
            theirs_t += t
            print(
                f"{label} round {r}: ours {fmt(summary(ours_t))} ms, "
                f"MLflow {fmt(summary(theirs_t))} ms"
            )
        o, m = summary(ours_t), summary(theirs_t)
        rows.append((label, o, m, m[1] / o[1]))

    qrows = []
    queue_backends = [
        ("SQLite file, synchronous=full", lambda: str(tmp / f"q{time.time_ns()}.db")),
    ]
    if pg_admin:
        queue_backends.append(
            ("PostgreSQL (loopback)", lambda: pg_database(pg_admin, f"bench_q{time.time_ns()}"))
        )
    for label, make in queue_backends:
        for n_workers in (1, 8):
            rate = queue_rate(make(), n_workers, {})
            qrows.append((label, n_workers, rate))
            print(f"queue {label}, {n_workers} worker(s): {rate:.0f} answers/s")

    load = os.getloadavg()
    lines = [
        "# mllifecycle.store: registry latency and label-queue throughput",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        "`python benchmarks/store.py` (PostgreSQL: `export "
        'MLLIFECYCLE_TEST_PG_URL="$(bash .ci/start-postgres.sh)"` first).',
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end (**shared with other "
        "jobs: absolute times are noisy upper bounds**). Python "
        f"{platform.python_version()}, NumPy {np.__version__}, scikit-learn "
        f"{sklearn.__version__}, mllifecycle {mllifecycle.__version__}, MLflow "
        f"{mlflow_version} (mlflow-skinny, own venv). PostgreSQL: Debian's server on "
        "loopback, default settings (fsync on).",
        "",
        "## Register + promote, one model version (ms per operation: min / median / max)",
        "",
        f"{N_ROUNDS} alternated rounds of {OPS_PER_ROUND} timed operations each (after one "
        "untimed warm-up operation per round: imports, connections). Ours: register "
        "(skops file, SHA-256, data fingerprint, lineage) + promote through a "
        "MetricThreshold gate, report recorded. MLflow: log_model in a run + "
        "create_model_version + set the `champion` alias (no gate). Both champions "
        "were loaded back and predict exactly as the fitted model.",
        "",
        "| backend | mllifecycle.store | MLflow registry | MLflow / ours (medians) |",
        "| --- | --- | --- | --- |",
    ]
    for label, o, m, ratio in rows:
        lines.append(f"| {label} | {fmt(o)} | {fmt(m)} | {ratio:.1f}x |")
    lines += [
        "",
        f"## Label queue: {N_TASKS} answers (answers per second)",
        "",
        "Each worker process leases 10 tasks at a time and submits each answer in "
        "its own transaction; every answer was counted back from the store. No "
        "peer is timed (the labelling tools a user would pick are servers with "
        "their own databases, not installable here).",
        "",
        "| backend | workers | answers/s |",
        "| --- | --- | --- |",
    ]
    for label, n_workers, rate in qrows:
        lines.append(f"| {label} | {n_workers} | {rate:.0f} |")
    out = HERE / "results" / "store.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
