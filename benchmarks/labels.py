"""Benchmark mllifecycle.labels against crowd-kit 1.4 (crowd) and Snorkel 0.10 (label model).

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
vote, Dawid-Skene and matrix completion, next to Bayes and next to Snorkel
0.10's LabelModel. Snorkel needs torch (its wheel pulls a CUDA build and
tensorboard), so it runs from a separate venv with a CPU torch::

    python -m venv /work/venv-snorkel
    /work/venv-snorkel/bin/pip install torch==2.13.0   # the CPU build
    /work/venv-snorkel/bin/pip install --no-deps snorkel==0.10.0
    /work/venv-snorkel/bin/pip install munkres numpy scipy pandas tqdm \
        scikit-learn networkx attrs
    python benchmarks/labels.py --part label-model \
        --snorkel-python /work/venv-snorkel/bin/python

The label matrix is saved once (``.npz``); each repeat runs our models in
this process and Snorkel's in a subprocess of the venv's python on the same
file (the subprocess times ``fit`` and ``predict`` itself, so interpreter and
torch start-up are not counted), alternating who goes first. Snorkel runs
with its defaults (100 epochs, lr 0.01, uniform class balance), with the
tutorial's 500 epochs, and with the true class balance handed to it (which
ours must estimate). ``--part crowd`` / ``--part label-model`` rewrite only
that section of ``benchmarks/results/labels.md``.
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


def machine(crowdkit: bool = True) -> list[str]:
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
        if not crowdkit:
            return [f"{cpu}, {os.cpu_count()} cores", ", ".join(vers)]
        import crowdkit as ck
        import pandas

        vers += [f"crowd-kit {getattr(ck, '__version__', '1.4.2')}",
                 f"pandas {pandas.__version__}"]
    except ImportError:
        vers.append("crowd-kit not installed")
    return [f"{cpu}, {os.cpu_count()} cores", ", ".join(vers)]


def fmt(times: list[float]) -> str:
    if not times:
        return "-"
    return f"{min(times):.3f} / {statistics.median(times):.3f} / {max(times):.3f}"


SNORKEL_CONFIGS: dict[str, dict[str, Any]] = {
    "Snorkel defaults (100 epochs)": {"n_epochs": 100},
    "Snorkel, 500 epochs (tutorial)": {"n_epochs": 500},
    "Snorkel, 500 epochs + true class balance": {"n_epochs": 500, "true_balance": True},
}


def snorkel_worker(data: str, out: str) -> None:
    """Run in the Snorkel venv: fit each config once on the saved matrix, save labels + times."""
    import json

    import snorkel
    import torch
    from snorkel.labeling.model import LabelModel as SnorkelLabelModel

    z = np.load(data)
    L, prior = z["L"], z["prior"]
    res: dict[str, Any] = {"versions": f"snorkel {snorkel.__version__}, torch {torch.__version__}"
                                       f" ({torch.get_num_threads()} threads)",
                           "checksum": int(np.asarray(L, dtype=np.int64).sum()), "runs": {}}
    preds = {}
    for i, (name, cfg) in enumerate(SNORKEL_CONFIGS.items()):
        lm = SnorkelLabelModel(cardinality=len(prior), verbose=False)
        balance = list(map(float, prior)) if cfg.get("true_balance") else None
        t0 = time.perf_counter()
        lm.fit(L, class_balance=balance, n_epochs=cfg["n_epochs"], seed=0,
               progress_bar=False)
        t_fit = time.perf_counter() - t0
        t0 = time.perf_counter()
        pred = lm.predict(L, tie_break_policy="random")
        t_pred = time.perf_counter() - t0
        preds[f"c{i}"] = np.asarray(pred)
        res["runs"][name] = {"fit": t_fit, "fit_predict": t_fit + t_pred}
    np.savez(out + ".npz", **preds)
    Path(out).write_text(json.dumps(res))


def run_snorkel(python: str, data: Path) -> dict[str, Any]:
    import json
    import subprocess

    out = data.with_suffix(".out.json")
    subprocess.run([python, str(Path(__file__).resolve()), "--snorkel-worker", str(data),
                    str(out)], check=True, cwd=str(ROOT))
    res: dict[str, Any] = json.loads(out.read_text())
    z = np.load(str(out) + ".npz")
    for i, name in enumerate(SNORKEL_CONFIGS):
        res["runs"][name]["pred"] = z[f"c{i}"]
    return res


def crowd_part(args: argparse.Namespace, say: Callable[..., None]) -> None:
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


def label_model_part(args: argparse.Namespace, say: Callable[..., None]) -> list[str]:
    """Run ours and (if a Snorkel python is given) Snorkel's; return extra version lines."""
    import tempfile

    L, y, cond, lprior = simulate_lfs()
    covered = (L != -1).any(axis=1)
    lb = np.mean(lf_bayes(L, cond, lprior)[covered] == y[covered])
    mv_acc = 0.0
    ours: dict[str, dict[str, Any]] = {m: {"fit": [], "fit_predict": [], "pred": None}
                                      for m in ("majority_vote", "dawid_skene",
                                                "matrix_completion")}
    peer: dict[str, dict[str, Any]] = {n: {"fit": [], "fit_predict": [], "pred": None}
                                       for n in SNORKEL_CONFIGS}
    versions: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="labels-bench-"))
    data = tmp / "lf.npz"
    np.savez(data, L=L, prior=lprior)
    for rep in range(args.repeats):
        order = ["ours", "peer"] if rep % 2 == 0 else ["peer", "ours"]
        for who in order:
            if who == "ours":
                for method, rec in ours.items():
                    model = labels.LabelModel(method=method, rng=0)
                    dt, _ = timed(lambda mdl=model: mdl.fit(L))
                    dp, pred = timed(lambda mdl=model: mdl.predict(L))
                    rec["fit"].append(dt)
                    rec["fit_predict"].append(dt + dp)
                    rec["pred"] = pred
            elif args.snorkel_python:
                res = run_snorkel(args.snorkel_python, data)
                if res["checksum"] != int(L.astype(np.int64).sum()):
                    raise SystemExit("Snorkel's worker read a different label matrix")
                versions = [res["versions"]]
                for name, r in res["runs"].items():
                    peer[name]["fit"].append(r["fit"])
                    peer[name]["fit_predict"].append(r["fit_predict"])
                    peer[name]["pred"] = r["pred"]
    say("### Label model: 50,000 points x 10 labelling functions, 3 classes")
    say()
    say(f"Coverage {covered.mean():.4f}; Bayes-optimal accuracy on covered points: **{lb:.4f}**")
    say()
    say("| model | accuracy on covered points | agreement with ours (dawid_skene) "
        "| fit s (min/med/max) | fit + predict s (min/med/max) |")
    say("| --- | --- | --- | --- | --- |")
    ref = ours["dawid_skene"]["pred"]

    def row(name: str, rec: dict[str, Any]) -> float:
        pred = np.asarray(rec["pred"])
        acc = float(np.mean(pred[covered] == y[covered]))
        agree = float(np.mean(pred[covered] == ref[covered]))
        say(f"| {name} | {acc:.4f} | {agree:.4f} | {fmt(rec['fit'])} "
            f"| {fmt(rec['fit_predict'])} |")
        return acc

    for method, rec in ours.items():
        acc = row(f"ours: {method}", rec)
        if method == "majority_vote":
            mv_acc = acc
    best_peer = None
    if args.snorkel_python:
        for name, rec in peer.items():
            acc = row(name, rec)
            if best_peer is None or acc > best_peer[1]:
                best_peer = (name, acc)
    say()
    say(f"Every cell: min/median/max of {args.repeats} runs, ours and Snorkel alternated "
        "(who goes first flips each repeat); Snorkel ran in a subprocess of the venv's "
        "python on the same saved matrix (checksum checked) and timed itself. Ties: "
        "broken at random by both (Snorkel `tie_break_policy=\"random\"`); ABSTAIN counts "
        "as wrong.")
    if best_peer is not None:
        ds_acc = float(np.mean(ref[covered] == y[covered]))
        ds_fit = statistics.median(ours["dawid_skene"]["fit"])
        sn_fit = statistics.median(peer["Snorkel defaults (100 epochs)"]["fit"])
        say()
        say(f"Goal (issue 14): ours (default `dawid_skene`) {ds_acc:.4f} vs the best Snorkel "
            f"configuration ({best_peer[0]}) {best_peer[1]:.4f}: "
            f"{'met' if ds_acc >= best_peer[1] else 'NOT met'} "
            f"({ds_acc - best_peer[1]:+.4f}; Bayes {lb:.4f}, majority vote {mv_acc:.4f}). "
            f"Fit time, medians: ours {ds_fit:.3f} s vs Snorkel's defaults {sn_fit:.3f} s "
            f"({sn_fit / ds_fit:.1f}x; {'met' if ds_fit <= sn_fit else 'NOT met'}).")
    else:
        say()
        say("Snorkel not run (pass `--snorkel-python` with a venv that has snorkel and a "
            "CPU torch).")
    return versions


SECTION = "### Label model:"


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--snorkel-worker":
        snorkel_worker(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-crowdkit-glad", action="store_true")
    parser.add_argument("--n-tasks", type=int, default=20_000, help="smaller for a smoke run")
    parser.add_argument("--part", choices=("all", "crowd", "label-model"), default="all",
                        help="run one part; the other part of the results file is kept")
    parser.add_argument("--snorkel-python", default=None,
                        help="python of a venv with snorkel 0.10 and a CPU torch")
    args = parser.parse_args()
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    load0 = os.getloadavg()
    extra: list[str] = []
    if args.part in ("all", "crowd"):
        crowd_part(args, say)
    if args.part in ("all", "label-model"):
        extra = label_model_part(args, say)
    load1 = os.getloadavg()
    import subprocess

    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    cmd = " ".join(["python", "benchmarks/labels.py", *sys.argv[1:]])
    run = [
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at commit {commit}: "
        f"`{cmd}`.",
        "",
        *[f"- {m}" for m in machine(args.part != "label-model") + extra],
        f"- load average (1/5/15 min) before: {load0[0]:.2f} / {load0[1]:.2f} / {load0[2]:.2f}, "
        f"after: {load1[0]:.2f} / {load1[1]:.2f} / {load1[2]:.2f} "
        "(a shared machine: other jobs ran at the same time, so times are noisy)",
        "",
    ]
    path = ROOT / "benchmarks" / "results" / "labels.md"
    path.parent.mkdir(exist_ok=True)
    old = path.read_text() if path.exists() else ""
    if args.part == "all" or not old:
        text = "\n".join(["## labels", "", *run, *out])
    elif args.part == "label-model":
        keep = old.split(SECTION, 1)[0].rstrip("\n")
        text = "\n".join([keep, "", *run, *out])
    else:
        cut = old.find(SECTION)
        # the label-model section starts at its own run line, just above SECTION
        start = old.rfind("\nRun on ", 0, cut) if cut >= 0 else -1
        tail = old[start + 1:] if start >= 0 else ""
        text = "\n".join(["## labels", "", *run, *out]) + ("\n" + tail if tail else "")
    path.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
