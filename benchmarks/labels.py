"""Benchmark mllifecycle.labels against crowd-kit 1.4 (crowd) and Bayes (label model).

crowd-kit pulls transformers, nltk and pyarrow, so it lives in its own venv
that sees the system packages::

    python -m venv --system-site-packages benchmarks/.venv-crowdkit
    benchmarks/.venv-crowdkit/bin/pip install crowd-kit==1.4.2
    benchmarks/.venv-crowdkit/bin/python benchmarks/labels.py [--repeats 3]

(with a plain interpreter the crowd-kit columns are skipped). The script
imports mllifecycle from this checkout.

Part 1, crowd aggregation: 20,000 tasks x 3 classes (balance 0.5/0.3/0.2),
50 workers (35 good with accuracy uniform in [0.6, 0.9], 10 uniform
spammers, 5 always-one-class spammers), 5 distinct workers per task (100,000
answers). Every method of both libraries runs on the same answers in the same
process, runs alternated (who goes first flips each repeat); accuracy is
against the simulated truth, next to the Bayes-optimal accuracy (the
posterior under the true parameters). crowd-kit's GLAD runs once (it takes
minutes); everything else ``--repeats`` times.

Part 2, label model: 50,000 points x 10 labelling functions, 3 classes,
conditionally independent functions with class-dependent coverage (every
third one fires mostly on one class); accuracy on covered points for majority
vote, Dawid-Skene and matrix completion, next to Bayes. Snorkel 0.10 is not
run: its wheel requires torch (and tensorboard), which pip resolves to a
multi-GB CUDA build here.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mllifecycle import labels  # noqa: E402


# ------------------------------------------------------------------ data
def simulate_crowd(n: int = 20_000, seed: int = 0
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    k, per = 3, 5
    prior = np.array([0.5, 0.3, 0.2])
    truth = rng.choice(k, n, p=prior)
    confs = []
    for _ in range(35):
        d = rng.uniform(0.6, 0.9)
        c = np.full((k, k), (1 - d) / (k - 1))
        np.fill_diagonal(c, d)
        confs.append(c)
    confs += [np.full((k, k), 1 / k)] * 10
    for _ in range(5):
        c = np.zeros((k, k))
        c[:, rng.integers(k)] = 1.0
        confs.append(c)
    conf = np.array(confs)
    w_count = len(conf)
    t = np.repeat(np.arange(n), per)
    w = np.argsort(rng.random((n, w_count)), axis=1)[:, :per].ravel()
    cum = conf[w, truth[t]].cumsum(axis=1)
    y = np.minimum((rng.random(len(t))[:, None] > cum).sum(axis=1), k - 1)
    return np.column_stack([t, w, y]), truth, conf, prior


def crowd_bayes(answers: np.ndarray, conf: np.ndarray, prior: np.ndarray) -> np.ndarray:
    n = answers[:, 0].max() + 1
    logp = np.tile(np.log(prior), (n, 1))
    np.add.at(logp, answers[:, 0],
              np.log(np.clip(conf[answers[:, 1], :, answers[:, 2]], 1e-300, None)))
    return logp.argmax(axis=1)


def simulate_lfs(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, m, k = 50_000, 10, 3
    prior = np.array([0.5, 0.3, 0.2])
    y = rng.choice(k, n, p=prior)
    cond = np.zeros((m, k, k + 1))
    for j in range(m):
        acc = rng.uniform(0.55, 0.9)
        cov = rng.uniform(0.2, 0.6, k)
        if j % 3 == 0:
            cov = np.full(k, 0.05)
            cov[j % k] = 0.6
        for c in range(k):
            cond[j, c, :k] = cov[c] * (1 - acc) / (k - 1)
            cond[j, c, c] = cov[c] * acc
            cond[j, c, k] = 1 - cov[c]
    cum = cond[:, y, :].cumsum(axis=2)
    v = (rng.random((m, n, 1)) > cum).sum(axis=2).T
    return np.where(v == k, -1, v), y, cond, prior


def lf_bayes(L: np.ndarray, cond: np.ndarray, prior: np.ndarray) -> np.ndarray:
    k = len(prior)
    v = np.where(L == -1, k, L)
    logp = np.log(prior)[None, :] + sum(np.log(cond[j][:, v[:, j]]).T for j in range(L.shape[1]))
    return logp.argmax(axis=1)


# ------------------------------------------------------------------ timing
def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import scipy
    import sklearn

    vers = [f"python {platform.python_version()}", f"numpy {np.__version__}",
            f"scipy {scipy.__version__}", f"scikit-learn {sklearn.__version__}"]
    try:
        import crowdkit
        import pandas

        vers += [f"crowd-kit {getattr(crowdkit, '__version__', '1.4.2')}",
                 f"pandas {pandas.__version__}"]
    except ImportError:
        vers.append("crowd-kit not installed")
    return [f"{cpu}, {os.cpu_count()} cores", ", ".join(vers)]


def fmt(times: list[float]) -> str:
    if not times:
        return "-"
    return f"{min(times):.3f} / {statistics.median(times):.3f} / {max(times):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-crowdkit-glad", action="store_true")
    parser.add_argument("--n-tasks", type=int, default=20_000, help="smaller for a smoke run")
    args = parser.parse_args()
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    load0 = os.getloadavg()
    answers, truth, conf, prior = simulate_crowd(args.n_tasks)
    bayes = np.mean(crowd_bayes(answers, conf, prior) == truth)
    try:
        import warnings

        import pandas as pd
        from crowdkit import aggregation as ck

        warnings.simplefilter("ignore")
        frame = pd.DataFrame(answers, columns=["task", "worker", "label"])
    except ImportError:
        ck = None
    ours: dict[str, Callable[[], Any]] = {
        "majority vote": lambda: labels.majority_vote(answers, rng=0),
        "Wawa": lambda: labels.wawa(answers, rng=0),
        "zero-based skill": lambda: labels.zero_based_skill(answers, rng=0),
        "Dawid-Skene": lambda: labels.dawid_skene(answers, rng=0),
        "one-coin DS": lambda: labels.one_coin(answers, rng=0),
        "GLAD": lambda: labels.glad(answers, rng=0),
        "MACE": lambda: labels.mace(answers, rng=0),
    }
    peer_cls = {"majority vote": "MajorityVote", "Wawa": "Wawa",
                "zero-based skill": "ZeroBasedSkill", "Dawid-Skene": "DawidSkene",
                "one-coin DS": "OneCoinDawidSkene", "GLAD": "GLAD", "MACE": "MACE"}
    say(f"### Crowd aggregation: {args.n_tasks:,} tasks x 3 classes, 50 workers, "
        f"{len(answers):,} answers")
    say()
    say(f"Bayes-optimal accuracy (posterior under the true parameters): **{bayes:.4f}**")
    say()
    say("| method | ours acc | crowd-kit acc | label agreement | ours s (min/med/max) "
        "| crowd-kit s (min/med/max) | speed-up (median) |")
    say("| --- | --- | --- | --- | --- | --- | --- |")
    for name, fn in ours.items():
        o_t: list[float] = []
        p_t: list[float] = []
        o_res: Any = None
        p_lab: Any = None
        p_err = ""
        reps = args.repeats
        peer_reps = 1 if name == "GLAD" else reps
        if name == "GLAD" and args.skip_crowdkit_glad:
            peer_reps = 0
        for rep in range(max(reps, peer_reps)):
            order = ["ours", "peer"] if rep % 2 == 0 else ["peer", "ours"]
            for who in order:
                if who == "ours" and rep < reps:
                    dt, o_res = timed(fn)
                    o_t.append(dt)
                elif who == "peer" and ck is not None and rep < peer_reps and not p_err:
                    try:
                        dt, p_lab = timed(lambda n=name: getattr(ck, peer_cls[n])()
                                          .fit_predict(frame))
                        p_t.append(dt)
                    except Exception as exc:  # a crash is a result too
                        p_err = f"crashes: {type(exc).__name__}"
        o_acc = np.mean(o_res.labels == truth)
        if p_lab is not None:
            p_arr = p_lab.sort_index().to_numpy()
            p_acc = f"{np.mean(p_arr == truth):.4f}"
            agree = f"{np.mean(p_arr == o_res.labels):.4f}"
            ratio = f"{statistics.median(p_t) / statistics.median(o_t):.1f}x"
        else:
            p_acc = p_err or ("not run" if ck is not None else "not installed")
            agree = ratio = "-"
        say(f"| {name} | {o_acc:.4f} | {p_acc} | {agree} | {fmt(o_t)} | {fmt(p_t)} | {ratio} |")
    say()
    say("GLAD of crowd-kit ran once (one full run, not extrapolated); every other "
        f"cell is min/median/max of {args.repeats} alternated runs.")
    say()

    # ------------------------------------------------------------ label model
    L, y, cond, lprior = simulate_lfs()
    covered = (L != -1).any(axis=1)
    lb = np.mean(lf_bayes(L, cond, lprior)[covered] == y[covered])
    say("### Label model: 50,000 points x 10 labelling functions, 3 classes")
    say()
    say(f"Coverage {covered.mean():.4f}; Bayes-optimal accuracy on covered points: **{lb:.4f}**")
    say()
    say("| model | accuracy on covered points | fit + predict s (min/med/max) |")
    say("| --- | --- | --- |")
    for method in ("majority_vote", "dawid_skene", "matrix_completion"):
        times = []
        acc = 0.0
        for _ in range(args.repeats):
            def fit_predict(m: str = method) -> Any:
                return labels.LabelModel(method=m, rng=0).fit(L).predict(L)

            dt, pred = timed(fit_predict)
            times.append(dt)
            acc = float(np.mean(pred[covered] == y[covered]))
        say(f"| {method} | {acc:.4f} | {fmt(times)} |")
    say()
    say("Snorkel 0.10 was not run (its wheel requires torch and tensorboard; pip "
        "resolves torch to a multi-GB CUDA build on this machine). The issue quotes "
        "Snorkel's LabelModel at 0.835 against Bayes 0.864 and majority vote 0.799 on "
        "its own data; here the comparison is with Bayes on ours.")
    load1 = os.getloadavg()
    import subprocess

    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    head = [
        "## labels",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at commit {commit}: "
        f"`benchmarks/.venv-crowdkit/bin/python benchmarks/labels.py --repeats {args.repeats}`.",
        "",
        *[f"- {m}" for m in machine()],
        f"- load average (1/5/15 min) before: {load0[0]:.2f} / {load0[1]:.2f} / {load0[2]:.2f}, "
        f"after: {load1[0]:.2f} / {load1[1]:.2f} / {load1[2]:.2f} "
        "(a shared machine: other jobs ran at the same time, so times are noisy)",
        "",
    ]
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "labels.md").write_text("\n".join(head + out) + "\n")


if __name__ == "__main__":
    main()
