"""Time the streaming change detectors against River's per-element loop.

For every detector, on the same stream in the same run (REPEATS rounds, the
implementations alternated within each round; min / median / max of the CPU
time of each, and the ratio of the medians):

* River 0.26.1: ``for x in stream: det.update(x)`` (how River is used);
* ours, per element: ``for x in stream: det.update(x)``;
* ours, vectorised: ``det.update_many(stream)``.

It also checks that the detection indices agree with River's (for every
detector River has with the same semantics). Streams: 200,000 points,
0/1 errors for DDM/EDDM/HDDM_A/HDDM_W (error rate 20% -> 30% -> 15% -> 25%),
Gaussian values for Page-Hinkley, CUSUM, ADWIN and KSWIN (mean 0 -> 1 ->
-0.5 -> 0.5; sd 1, and sd 0.1 for a second Page-Hinkley row; N(0, 1) with no
change for a second CUSUM row). River has no CUSUM: the peer there is the
textbook Python loop of Montgomery's tabular CUSUM. River's KSWIN runs a KS
test per element, so its rows use the first 20,000 points, against our
default schedule and against ``check_every=1`` (River's schedule).

Timings are CPU time of this process (``time.process_time``): the machine is
shared, and for single-threaded code CPU time is far less sensitive than
wall-clock time to waiting for a core. The load average is recorded.

Run:  python benchmarks/drift_stream.py [--out benchmarks/results/drift_stream.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import river
import scipy
from river import drift as rdrift

import mllifecycle
import mllifecycle.drift.stream as ms
from mllifecycle.datasets import bernoulli_stream, mean_shift_stream

N = 200_000
N_KSWIN = 20_000
REPEATS = 5
REPEATS_SLOW = 3  # River's KSWIN: ~10 s per run on the shared machine


class Timing:
    """CPU times of one implementation over the rounds (seconds)."""

    def __init__(self, times):
        self.times = list(times)
        self.min = min(self.times)
        self.median = statistics.median(self.times)
        self.max = max(self.times)


def timed(*fns, repeats=REPEATS):
    """Time each function over ``repeats`` rounds, alternated within each round.

    The order rotates from round to round (peer, ours, ours; ours, ours, peer;
    ...) so a change in the load of the shared machine favours no side.
    Returns one (Timing, last output) per function.
    """
    times = [[] for _ in fns]
    outs = [None] * len(fns)
    k = len(fns)
    for r in range(repeats):
        for j in range(k):
            i = (j + r) % k
            t0 = time.process_time()
            outs[i] = fns[i]()
            times[i].append(time.process_time() - t0)
    return [(Timing(t), o) for t, o in zip(times, outs, strict=True)]


def river_loop(make, values):
    def run():
        det = make()
        hits = []
        for i, x in enumerate(values):
            det.update(x)
            if det.drift_detected:
                hits.append(i)
        return hits

    return run


def ours_loop(make, values):
    def run():
        det = make()
        return [i for i, x in enumerate(values) if det.update(x)]

    return run


def ours_many(make, arr):
    def run():
        return make().update_many(arr).tolist()

    return run


def textbook_cusum(values, k=0.5, h=5.0):
    def run():
        cp = cm = 0.0
        hits = []
        for i, x in enumerate(values):
            cp = max(0.0, cp + x - k)
            cm = max(0.0, cm - x - k)
            if cp > h or cm > h:
                hits.append(i)
                cp = cm = 0.0
        return hits

    return run


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=None, help="write a markdown report here")
    args = parser.parse_args()
    load_before = os.getloadavg()

    errors = bernoulli_stream(
        N, [0.2, 0.3, 0.15, 0.25], [50_000, 100_000, 150_000], rng=0
    ).values
    real = mean_shift_stream(
        N, [50_000, 100_000, 150_000], means=[0.0, 1.0, -0.5, 0.5], rng=0
    ).values
    err_list = errors.astype(int).tolist()
    real_list = real.tolist()

    quiet = mean_shift_stream(
        N, [50_000, 100_000, 150_000], means=[0.0, 1.0, -0.5, 0.5], sigma=0.1, rng=0
    ).values
    in_control = mean_shift_stream(N, [], means=[0.0], rng=0).values
    streams = {
        "errors": (err_list, errors),
        "gaussian": (real_list, real),
        "low-noise": (quiet.tolist(), quiet),
        "in-control": (in_control.tolist(), in_control),
    }

    rows = []  # (label, n, peer name, peer Timing, loop Timing, many Timing, same, n_hits)
    cases = [
        ("DDM", rdrift.binary.DDM, ms.DDM, "errors"),
        ("EDDM", rdrift.binary.EDDM, ms.EDDM, "errors"),
        ("HDDM_A", rdrift.binary.HDDMA, ms.HDDM_A, "errors"),
        ("HDDM_W", rdrift.binary.HDDMW, ms.HDDM_W, "errors"),
        ("PageHinkley", rdrift.PageHinkley, ms.PageHinkley, "gaussian"),
        ("PageHinkley", rdrift.PageHinkley, ms.PageHinkley, "low-noise"),
        ("ADWIN", rdrift.ADWIN, ms.ADWIN, "gaussian"),
    ]
    # warm-up: imports (scipy.signal) and caches
    for _, _, ours, kind in cases:
        ours().update_many(streams[kind][1][:2000])

    for name, theirs, ours, kind in cases:
        values, arr = streams[kind]
        (t_peer, hits_peer), (t_loop, hits_loop), (t_many, hits_many) = timed(
            river_loop(theirs, values), ours_loop(ours, values), ours_many(ours, arr)
        )
        same = hits_peer == hits_loop == hits_many
        label = f"{name} ({kind})"
        rows.append((label, N, "River", t_peer, t_loop, t_many, same, len(hits_many)))
        print(_fmt(rows[-1]), flush=True)

    # CUSUM: no River counterpart; the peer is the textbook Python loop
    for kind in ("in-control", "gaussian"):
        values, arr = streams[kind]
        (t_peer, hits_peer), (t_loop, hits_loop), (t_many, hits_many) = timed(
            textbook_cusum(values), ours_loop(ms.CUSUM, values), ours_many(ms.CUSUM, arr)
        )
        same = hits_peer == hits_loop == hits_many
        rows.append(
            (f"CUSUM ({kind})", N, "textbook loop", t_peer, t_loop, t_many, same,
             len(hits_many))
        )
        print(_fmt(rows[-1]), flush=True)

    sub, sub_list = real[:N_KSWIN], real_list[:N_KSWIN]
    for label, make in [
        ("KSWIN (gaussian)", lambda: ms.KSWIN(rng=42)),
        ("KSWIN check_every=1 (gaussian)", lambda: ms.KSWIN(check_every=1, rng=42)),
    ]:
        (t_peer, hits_peer), (t_loop, hits_loop), (t_many, hits_many) = timed(
            river_loop(lambda: rdrift.KSWIN(seed=42), sub_list),
            ours_loop(make, sub_list),
            ours_many(make, sub),
            repeats=REPEATS_SLOW,
        )
        same = hits_loop == hits_many  # River's KSWIN samples differently
        rows.append((label, N_KSWIN, "River", t_peer, t_loop, t_many, same,
                     len(hits_many)))
        print(_fmt(rows[-1]), flush=True)

    if args.out:
        write_report(Path(args.out), rows, load_before, os.getloadavg())


def _fmt(row):
    name, n, peer, tp, tl, tm, same, nh = row
    return (
        f"{name:32s} n={n:>7d}  {peer:13s} {n / tp.median / 1e6:7.3f} M/s | "
        f"update {n / tl.median / 1e6:7.3f} M/s ({tp.median / tl.median:5.2f}x) | "
        f"update_many {n / tm.median / 1e6:8.2f} M/s ({tp.median / tm.median:7.1f}x, "
        f"{tp.min / tm.max:.1f}-{tp.max / tm.min:.1f}) | same detections: {same} ({nh})"
    )


def _target(label):
    """The issues' speed targets (update_many, update) against the peer."""
    name = label.split(" ")[0]
    if name in {"DDM", "EDDM", "HDDM_A", "HDDM_W", "PageHinkley"}:
        return 10.0, None
    if name == "KSWIN":
        return 100.0, None
    if name == "ADWIN":
        return 1.0, 0.5
    return None, None


def _goal_text(goal, ratio):
    if goal is None:
        return "-"
    return f">= {goal:g}x " + ("(met)" if ratio >= goal else "(**NOT met**)")


def _times_ms(tm):
    return f"{tm.min * 1e3:.1f} / {tm.median * 1e3:.1f} / {tm.max * 1e3:.1f}"


def write_report(path, rows, load_before, load_after):
    lines = [
        "# Streaming change detectors: mllifecycle vs River",
        "",
        "Command: `python benchmarks/drift_stream.py --out benchmarks/results/drift_stream.md`",
        "",
        f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), Python "
        f"{platform.python_version()}, NumPy {np.__version__}, SciPy "
        f"{scipy.__version__}, River {river.__version__}, mllifecycle "
        f"{mllifecycle.__version__}; run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        f"Load average (1, 5, 15 min) {_load(load_before)} before the run and "
        f"{_load(load_after)} after it: " + (
            "the machine was **shared with other jobs** (more runnable processes "
            "than cores), so absolute figures are slow and noisy"
            if max(load_before[0], load_after[0]) > (os.cpu_count() or 1) + 0.5
            else "no other jobs (the load is the benchmark's own)"
        ) + "; the ratios compare implementations timed alternately in the same rounds.",
        "",
        f"Timing: CPU time of the process (`time.process_time`; single-threaded "
        f"code, so CPU time is what each implementation costs, without the time "
        f"spent waiting for a core), {REPEATS} rounds ({REPEATS_SLOW} for the "
        "KSWIN rows), the three implementations alternated within each round "
        "with the order rotated from round to round. Throughput (M values/s) "
        "and ratios use the medians; the ratio range is (peer min / ours max) "
        "to (peer max / ours min) over the rounds. \"Same detections\": the "
        "detection indices of River (or the textbook loop), our `update` loop "
        "and our `update_many` are identical (for KSWIN: our two paths only; "
        "River's KSWIN draws its reference sample with Python's `random`).",
        "",
        "| detector (stream) | n | peer | peer M/s | ours `update` M/s | `update` ratio | "
        "target for `update` | ours `update_many` M/s | `update_many` ratio (range) | "
        "target for `update_many` | same detections (count) |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |",
    ]
    for name, n, peer, tp, tl, tm, same, nh in rows:
        goal_many, goal_one = _target(name)
        r_one = tp.median / tl.median
        r_many = tp.median / tm.median
        lines.append(
            f"| {name} | {n:,} | {peer} | {n / tp.median / 1e6:.3f} | "
            f"{n / tl.median / 1e6:.3f} | {r_one:.2f}x | {_goal_text(goal_one, r_one)} | "
            f"{n / tm.median / 1e6:.2f} | {r_many:.1f}x ({tp.min / tm.max:.1f}-"
            f"{tp.max / tm.min:.1f}) | {_goal_text(goal_many, r_many)} | {same} ({nh}) |"
        )
    lines += [
        "",
        "CPU times in ms, min / median / max over the rounds:",
        "",
        "| detector (stream) | peer | ours `update` | ours `update_many` |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, _n, _peer, tp, tl, tm, _same, _nh in rows:
        lines.append(f"| {name} | {_times_ms(tp)} | {_times_ms(tl)} | {_times_ms(tm)} |")
    lines += [
        "",
        "Streams (200,000 points, changes at 50k, 100k, 150k): *errors*: 0/1 "
        "with error rate 20% -> 30% -> 15% -> 25%; *gaussian*: mean 0 -> 1 -> "
        "-0.5 -> 0.5, sd 1; *low-noise*: the same means, sd 0.1; *in-control*: "
        "N(0, 1), no change. Default parameters everywhere. On *gaussian* "
        "Page-Hinkley's defaults (threshold 50, delta 0.005) raise an alarm "
        "every ~1,500 points (128 alarms: the dense-alarm case) and CUSUM "
        "(allowance 0.5, threshold 5) one every few dozen points after the first "
        "shift. River's binary detectors were fed Python ints, ours the same "
        "list (per element) or the float64 array (`update_many`).",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + NOTES)
    print(f"wrote {path}")


def _load(avg):
    return "(" + ", ".join(f"{v:.2f}" for v in avg) + ")"


# Hand-written after reading the figures of the run (kept with the script so
# the report is regenerated in one command); the numbers quoted here must be
# those of the table above.
NOTES = """
### Which targets are met, and why some are not

The targets (issue 20) are marked in the table. The runs of 2026-12-06
07:15 and 07:20 UTC (after short calls became one scan, EDDM's scan per
error and HDDM-A's integer cut point; the table is the second) miss one:
ADWIN's per-element `update`.

* **Page-Hinkley `update_many` on a dense-alarm stream (*gaussian*, an alarm
  every ~1,500 values)** is at 11.7x River (11.3-12.3) and 13.0x
  (11.9-13.8) in these runs. Its
  code is only 2-6 % faster than in the 04:18 UTC run of the same day, which
  measured 8.6x (6.7-9.6) and 8.9x: the machine ran NumPy code markedly
  slower then (River's loop took 110 ms against 85 ms now). The ratio is
  near the line on a slow day. After each detection the statistics restart
  from scratch (a running mean and an exponentially weighted sum, both
  sequential recursions that must restart to stay bit for bit equal to
  `update`), so each of the 128 detections costs a NumPy window: about 11 us
  of fixed cost (~28 NumPy calls) plus two sequential passes over about one
  mean gap. A cost model over the stream's real gaps found no window policy
  more than about 2 % better than the one used.
* **EDDM `update_many`** scans per error rather than per value since
  2026-12-06 07:00 UTC (about 45 % less time): 18.3x and 20.3x, where it
  was 8.6-8.9x in the 04:18 run.
* **ADWIN's per-element `update` is far below 0.5x River's.** River's ADWIN
  core is compiled (Cython); ours is pure Python doing the same bucket
  arithmetic, operation for operation (that is how its detections equal
  River's). Profiled on this machine over the same 200,000 values: the bucket
  insertion and merging alone (`ADWIN(clock=10**9)`, so no cut test ever
  runs) cost about 0.8 us per value, and the cut tests every 32 values about
  0.4 us more, while River's whole `update`, called from the same Python
  loop, costs about 0.2 us per value. Insertion alone is about four times
  River's whole update, so no reorganisation of the Python code reaches
  0.5x; inlining the insertion and hoisting the cut test's constants gained
  about 10%. For throughput use `update_many`, which vectorises the insertion
  and screens every cut test at once, and is above River (its target, >= 1x,
  is met).

CUSUM on *gaussian* alarms every ~26 values after the first shift (it keeps
its fixed target), so `update_many` runs the `update` path there and is
slower than the textbook loop; no target applies, and a CUSUM alarming that
often is mis-tuned. The KSWIN rows compare River's KSWIN (a KS test at every
value) with our default schedule (a test every `stat_size` values) and with
`check_every=1`, River's schedule.
"""


if __name__ == "__main__":
    main()
