"""Backtest the two-tier pattern over a keyed stream, tier by tier and key group by group."""

from __future__ import annotations

import copy
import time
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import frame_to_numpy, in_row_order, is_frame
from mllifecycle._results import attrs_to_dict, flat_metrics, html_table
from mllifecycle._validation import (
    _missing_label,
    check_int,
    check_labels_of_one_kind,
    described,
    fail,
)
from mllifecycle.twotier._model import TwoTier, _key_array, _labels

__all__ = ["KeyedReplayResult", "replay_keyed", "TIERS", "KEY_GROUPS"]

TIERS = ("global", "local", "two_tier")
KEY_GROUPS = ((0, 0, "cold (no labels yet)"), (1, 19, "warm (1-19 labels)"),
              (20, None, "hot (20+ labels)"))


@attrs.frozen(repr=False)
class KeyedReplayResult:
    """Accuracy of each tier over a keyed stream, overall and per key group.

    Tiers: ``"global"`` (the global model alone), ``"local"`` (per-key-only
    models: each key's own label frequencies, Laplace-smoothed; a key without
    labels gets the most common class so far), ``"two_tier"`` (the
    :class:`TwoTier` model). Key groups: by how many of the key's labels had
    arrived when the row was predicted.

    Attributes
    ----------
    accuracy : dict of str to float
        Per tier.
    by_group : dict of str to dict of str to float
        Per key group, per tier.
    n_by_group : dict of str to int
        Rows predicted in each group.
    n_evaluated : int
    retrains : int
        Global retrains decided by the policy.
    local_updates_per_second : float
        Rows absorbed per second by the local tier's ``partial_fit``.
    memory_per_key : float
        Bytes of local state per key.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.datasets import personalization_stream
    >>> from mllifecycle.twotier import replay_keyed
    >>> s = personalization_stream(20_000, n_keys=200, rng=0)
    >>> r = replay_keyed(s.X, s.y, s.keys, LogisticRegression())
    >>> r.accuracy["two_tier"] > r.accuracy["global"]
    True
    """

    accuracy: dict[str, float]
    by_group: dict[str, dict[str, float]]
    n_by_group: dict[str, int]
    n_evaluated: int
    retrains: int
    local_updates_per_second: float
    memory_per_key: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Flat ``name -> float``."""
        return flat_metrics(self.to_dict(), prefix="keyed_replay")

    def __repr__(self) -> str:
        acc = ", ".join(f"{t}={self.accuracy[t]:.4f}" for t in TIERS)
        return f"KeyedReplayResult({acc}; retrains={self.retrains}, rows={self.n_evaluated})"

    def _repr_html_(self) -> str:
        rows = [[g, self.n_by_group[g], *(v[t] for t in TIERS)] for g, v in self.by_group.items()]
        rows.append(["all", self.n_evaluated, *(self.accuracy[t] for t in TIERS)])
        return html_table(rows, ["key group", "rows", *TIERS], caption=repr(self))


def _group(n_labels: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    out = np.zeros(n_labels.size, dtype=np.int64)
    for g, (lo, _hi, _name) in enumerate(KEY_GROUPS):
        out[n_labels >= lo] = g
    return out


def _check_classes(
    every: npt.NDArray[Any], y: npt.NDArray[Any], lo: int, hi: int, name: str, caller: str
) -> None:
    """Refuse a (re)training range ``y[lo:hi]`` that lacks one of the classes ``every``.

    The replay keeps one class list from its first fit: a class missing from
    a retraining window would be dropped by the new global model and its
    later labels refused by the local tier midway through the replay.
    """
    seen = set(np.unique(y[lo:hi]).tolist())
    missing = [c for c in every.tolist() if c not in seen]
    if missing:
        fail(name, f"training rows that hold every class of y ({every.tolist()!r}); "
             f"rows {lo}:{hi} lack {missing!r}", described(f"{name}={hi - lo}"), caller)


def _parts(policy: Any, seen: set[int] | None = None) -> list[Any]:
    """``policy`` and its parts, through combinators (``policies``, ``policy``)."""
    seen = set() if seen is None else seen
    if id(policy) in seen:
        return []
    seen.add(id(policy))
    out = [policy]
    parts = getattr(policy, "policies", None)
    inner = getattr(policy, "policy", None)
    for part in [*(parts if isinstance(parts, tuple | list) else ()), inner]:
        if part is not None:
            out.extend(_parts(part, seen))
    return out


def _refuse_blind_policy(policy: Any, caller: str) -> None:
    """Refuse, before any training, a built-in policy that could never see its signal.

    The states of :func:`replay_keyed` hold counts and the two-tier model's
    errors only: no features (``current_X``, ``reference_X``), probabilities,
    label-free estimate, times or ``challenge``. ``OnDrift`` with a batch
    test, a reference, ``signal="confidence"`` or no detector, a policy on the
    label-free estimate and ``OnChallengerBetter`` alone silently never
    retrained (0 retrains, exit 0); ``Periodic(every_time=...)`` failed at the
    first batch, after the global model was fitted. (``OnChallengerBetter``
    inside a combinator, as in ``recommended()``, is left to the other parts.)
    """
    from mllifecycle.policies import (
        CostAware,
        OnChallengerBetter,
        OnDrift,
        OnEstimatedPerformanceDrop,
        Periodic,
    )
    from mllifecycle.protocols import StreamDetector

    for part in _parts(policy):
        why = None
        if isinstance(part, OnDrift):
            if part.detector is None:
                why = "OnDrift(detector=None) reads state.drift"
            elif not isinstance(part.detector, StreamDetector):
                det = part.detector
                what = getattr(det, "__name__", None) or type(det).__name__
                why = f"OnDrift({what}) compares batches of features"
            elif part.signal == "confidence":
                why = 'OnDrift(signal="confidence") reads the model\'s probabilities'
        elif isinstance(part, OnEstimatedPerformanceDrop) or (
            isinstance(part, CostAware) and part.source == "estimated"
        ):
            why = f"{type(part).__name__} reads a label-free performance estimate"
        elif isinstance(part, Periodic) and part.every_time is not None:
            why = "Periodic(every_time=...) reads the stream's times"
        elif isinstance(part, OnChallengerBetter) and part is policy:
            why = "OnChallengerBetter trains challengers through state.challenge"
        if why is not None:
            fail(
                "policy",
                "a policy that can decide on what replay_keyed shows it (counts and the "
                "two-tier model's 0/1 errors), e.g. OnDrift(drift.stream.HDDM_A()), "
                "OnPerformanceDrop or Periodic(every=...)",
                described(f"{why}, which replay_keyed does not provide (it would never "
                          "retrain)"),
                caller,
            )


def _refuse_crowded_chunks(
    ka: npt.NDArray[Any], init: int, n: int, bs: int, delay: int, max_keys: int, caller: str
) -> None:
    """Refuse, before any training, label chunks holding more than ``max_keys`` keys.

    The replay hands the local tier the arriving labels in chunks (at most
    one batch each, cut where the label delay ends, exactly as the loop of
    :func:`replay_keyed` cuts them); ``TwoTier.partial_fit`` takes at most
    ``max_keys`` distinct keys per call, so such a chunk stopped the replay
    midway, after the global model was fitted and the earlier batches run.
    """
    if n <= init:
        return
    cuts = []
    done = init
    for start in range(init, n, bs):
        known = min(start + bs, n) - delay
        while done < known:  # as the replay's loop releases labels
            done = min(known, init + ((done - init) // bs + 1) * bs)
            cuts.append(done)
    if not cuts:
        return
    edges = np.asarray([init, *cuts], dtype=np.int64)
    rows = ka[init : edges[-1]]
    _, inv = np.unique(rows, return_inverse=True)
    chunk = np.repeat(np.arange(edges.size - 1), np.diff(edges))
    pairs = np.unique(chunk * (int(inv.max()) + 1) + inv.ravel())
    per_chunk = np.bincount(pairs // (int(inv.max()) + 1), minlength=edges.size - 1)
    worst = int(np.argmax(per_chunk))
    if per_chunk[worst] > max_keys:
        fail(
            "max_keys",
            f"at least the distinct keys of every chunk of labels the replay gives the "
            f"local tier (TwoTier.partial_fit takes at most max_keys per call; chunks "
            f"are at most batch_size={bs} rows): raise max_keys or lower batch_size",
            described(
                f"max_keys={max_keys}, but rows {int(edges[worst])}:{int(edges[worst + 1])} "
                f"hold {int(per_chunk[worst])} distinct keys"
            ),
            caller,
        )


def replay_keyed(
    X: Any,
    y: Any,
    keys: Any,
    estimator: Any,
    *,
    local: str = "bias",
    tau: float | str = "auto",
    max_keys: int = 100_000,
    policy: Any = None,
    initial_train_size: int = 2000,
    batch_size: int = 500,
    label_delay: int = 0,
    window: int | None = None,
) -> KeyedReplayResult:
    """Replay a keyed stream through the global, per-key-only and two-tier models.

    The first ``initial_train_size`` rows train the global model. Then every
    batch is predicted by each tier before its labels are used; labels arrive
    ``label_delay`` rows later (the label of row ``i`` once row
    ``i + label_delay`` has been predicted, as in :func:`mllifecycle.replay.replay`)
    and feed the local tier (and the per-key baseline). When ``policy`` (any
    :class:`~mllifecycle.protocols.RetrainPolicy`) asks for it, the global
    model is refitted on the last ``window`` labelled rows and the local tier
    is cleared (``TwoTier.reset_on_refit``). The policy's ``new_errors`` are
    the two-tier model's errors on the labels that arrived since its previous
    decision, for rows predicted since the last retrain (those of earlier
    rows are the previous model's).

    Parameters
    ----------
    X, y, keys : array-like
        Rows, labels and each row's key.
    estimator : scikit-learn classifier
        The global model (cloned).
    local, tau, max_keys : see :class:`TwoTier`
    policy : RetrainPolicy or callable, optional
        When to retrain the global tier (default: never): an object whose
        ``should_retrain`` returns a
        :class:`~mllifecycle.policies.RetrainDecision` (a bool or anything
        else is refused, as by :func:`mllifecycle.replay.replay`), or a plain
        function ``state -> bool | RetrainDecision``. As in ``replay``, a deep
        copy runs, so the policy passed is left as it was and may be reused.
        The state it is shown has ``deployed_at``, the first row the current
        global model predicted.
    initial_train_size, batch_size, label_delay : int
    window : int, optional
        Rows the global tier is retrained on (default: ``initial_train_size``).

    Returns
    -------
    KeyedReplayResult

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from mllifecycle.datasets import personalization_stream
    >>> from mllifecycle.twotier import replay_keyed
    >>> s = personalization_stream(10_000, n_keys=100, key_effect=0.0, rng=0)
    >>> r = replay_keyed(s.X, s.y, s.keys, GaussianNB())
    >>> abs(r.accuracy["two_tier"] - r.accuracy["global"]) < 0.02
    True
    """
    from mllifecycle.policies import LifecycleState, RetrainDecision, as_policy

    caller = "replay_keyed"
    # pandas y and keys holding X's row labels in another order are put in
    # X's order (they were paired by position), as replay and the gates do
    y = in_row_order(y, X, "y", "X", caller)
    keys = in_row_order(keys, X, "keys", "X", caller)
    # tables through the shared layer (pd.NA and nulls become NaN, refused below)
    Xa = np.asarray(frame_to_numpy(X) if is_frame(X) else (
        X.to_numpy() if hasattr(X, "to_numpy") else X), dtype=np.float64)
    if Xa.ndim != 2:
        fail("X", "a 2-D array", described(f"shape {Xa.shape}"), caller)
    if not np.isfinite(Xa).all():
        # (was refused by the TwoTier.fit inside, naming a call the user never made)
        bad = np.flatnonzero(~np.isfinite(Xa).all(axis=1))
        fail("X", "finite values (no NaN, missing value or infinity)",
             described(f"{bad.size} row(s) with NaN or infinite values, the first at row "
                       f"{int(bad[0])}"), caller)
    # a list [1, True, 0] or [1, "1", 0] is kept as objects: np.asarray would
    # merge the two kinds into one class before TwoTier.fit could refuse them
    ya, kinds = _labels(y.to_numpy() if hasattr(y, "to_numpy") else y, Xa.shape[0], caller)
    if ya.dtype == object:
        # a missing label after the initial rows would be scored as a wrong
        # prediction (or fail in a comparison midway through the replay)
        missing = np.flatnonzero([_missing_label(v) for v in ya.tolist()])
        if missing.size:
            fail("y", "free of missing labels (None, NaN or pd.NA)",
                 described(f"{missing.size} missing label(s), the first at row {missing[0]}"),
                 caller)
    elif ya.dtype.kind == "f" and np.isnan(ya).any():
        missing = np.flatnonzero(np.isnan(ya))
        fail("y", "free of missing labels (None, NaN or pd.NA)",
             described(f"{missing.size} missing label(s), the first at row {missing[0]}"),
             caller)
    check_labels_of_one_kind(list(kinds.values()), "y", caller)
    n = Xa.shape[0]
    ka = _key_array(keys, n, caller)
    init = check_int(initial_train_size, "initial_train_size", caller=caller, low=2)
    bs = check_int(batch_size, "batch_size", caller=caller)
    delay = check_int(label_delay, "label_delay", caller=caller, low=0)
    win = init if window is None else check_int(window, "window", caller=caller, low=2)
    if init >= n:
        fail("initial_train_size", f"fewer than the {n} rows", init, caller)
    if delay >= n - init:
        import warnings

        from mllifecycle.exceptions import DegenerateDataWarning

        # as in replay: no label arrives, so nothing learns from the stream
        warnings.warn(
            f"{caller}: label_delay={delay} is at least the {n - init} rows after the "
            f"initial training: no label arrives during the replay, so the local models "
            f"never update and every retrain refits the {init} initial rows",
            DegenerateDataWarning,
            stacklevel=2,
        )
    if policy is not None and not (callable(getattr(policy, "should_retrain", None))
                                   or callable(policy)):
        fail("policy", "an object with should_retrain(state) returning a RetrainDecision, "
             "or a function state -> bool | RetrainDecision", policy, caller)
    if policy is not None:
        # a plain function is a policy, as in replay; and, as replay does, the
        # replay runs a copy: the caller's policy (its memory, its detectors)
        # was advanced by the call, so a second replay_keyed with the same
        # policy object decided other retrains
        policy = copy.deepcopy(as_policy(policy, "policy", caller))
        _refuse_blind_policy(policy, caller)
    mk = check_int(max_keys, "max_keys", caller=caller, low=1)
    _refuse_crowded_chunks(ka, init, n, bs, delay, mk, caller)
    model = TwoTier(estimator, local=local, tau=tau, max_keys=max_keys)
    model.fit(Xa[:init], ya[:init])
    classes = model.classes_
    # the local tier and the per-key baseline count labels by class: a class
    # the global model never saw cannot be taught to it later
    every = np.unique(ya)
    _check_classes(every, ya, 0, init, "initial_train_size", caller)
    k = classes.size
    # per-key-only baseline: Laplace-smoothed label counts
    base_counts: dict[Any, npt.NDArray[np.float64]] = {}
    global_counts = np.bincount(np.searchsorted(classes, ya[:init]), minlength=k).astype(float)
    labels_seen: dict[Any, int] = {}
    hits = dict.fromkeys(TIERS, 0)
    ghits = {g: dict.fromkeys(TIERS, 0) for g in range(len(KEY_GROUPS))}
    gcount = dict.fromkeys(range(len(KEY_GROUPS)), 0)
    # the two-tier model's 0/1 error on each row: a row's error reaches the
    # policy only with its label, never earlier
    err_all = np.zeros(n)
    labelled_until = init
    deployed_at = init  # first row predicted by the current global model
    retrains = 0
    since = 0
    update_rows, update_secs = 0, 0.0
    recent_err: list[npt.NDArray[np.float64]] = []
    for start in range(init, n, bs):
        stop = min(start + bs, n)
        xb, yb, kb = Xa[start:stop], ya[start:stop], ka[start:stop]
        p_global = model.global_model_.predict(xb)
        p_two = model.predict(xb, kb)
        kl = kb.tolist()
        p_local = np.empty(stop - start, dtype=classes.dtype)
        n_lab = np.empty(stop - start)
        default = classes[int(np.argmax(global_counts))]
        for i, key in enumerate(kl):
            c = base_counts.get(key)
            p_local[i] = default if c is None else classes[int(np.argmax(c))]
            n_lab[i] = labels_seen.get(key, 0)
        groups = _group(n_lab)
        for t, pred in (("global", p_global), ("local", p_local), ("two_tier", p_two)):
            ok = pred == yb
            hits[t] += int(ok.sum())
            for g in range(len(KEY_GROUPS)):
                ghits[g][t] += int(ok[groups == g].sum())
        for g in range(len(KEY_GROUPS)):
            gcount[g] += int((groups == g).sum())
        since += stop - start
        err_all[start:stop] = p_two != yb
        # labels whose delay has passed: of rows i with i + delay < stop, as in
        # replay (a delay that is no multiple of batch_size held a batch's
        # labels back until its last row's delay had passed); the rows go to
        # the local tier batch by batch, as they were predicted
        known = stop - delay
        while labelled_until < known:
            a = labelled_until
            b = min(known, init + ((a - init) // bs + 1) * bs)
            if b > deployed_at:
                # errors of rows predicted before the last retrain are the
                # previous model's: not the deployed model's new_errors
                recent_err.append(err_all[max(a, deployed_at):b].copy())
            t0 = time.perf_counter()
            model.partial_fit(Xa[a:b], ya[a:b], ka[a:b])
            update_secs += time.perf_counter() - t0
            update_rows += b - a
            idx = np.searchsorted(classes, ya[a:b])
            for key, c in zip(ka[a:b].tolist(), idx.tolist(), strict=True):
                arr = base_counts.get(key)
                if arr is None:
                    arr = np.ones(k)
                    base_counts[key] = arr
                arr[c] += 1
                labels_seen[key] = labels_seen.get(key, 0) + 1
            global_counts += np.bincount(idx, minlength=k)
            labelled_until = b
        if policy is not None:
            errs = np.concatenate(recent_err) if recent_err else np.zeros(0)
            state = LifecycleState(
                step=stop,
                samples_since_retrain=since,
                new_errors=errs,
                metric=float(1 - errs.mean()) if errs.size else None,
                metric_n=int(errs.size),
                labels_available=labelled_until,
                retrains=retrains,
                model_version=retrains,
                deployed_at=deployed_at,
            )
            recent_err = []
            decision = policy.should_retrain(state)
            if not isinstance(decision, RetrainDecision):
                # bool("no") is True: anything but a decision retrained on its truth
                # value (replay refuses it too)
                fail("policy", "a policy whose should_retrain returns a RetrainDecision",
                     described(f"{type(policy).__name__}.should_retrain returning "
                               f"{type(decision).__name__} {decision!r}"), caller)
            if decision.retrain:
                lo = max(0, labelled_until - win)
                _check_classes(every, ya, lo, labelled_until, "window", caller)
                model.fit(Xa[lo:labelled_until], ya[lo:labelled_until])
                retrains += 1
                since = 0
                deployed_at = stop
                # the per-key baseline keeps its counts: it has no global tier
        else:
            recent_err = []
    evaluated = n - init
    names = [name for _, _, name in KEY_GROUPS]
    return KeyedReplayResult(
        accuracy={t: hits[t] / evaluated for t in TIERS},
        by_group={
            names[g]: {t: (ghits[g][t] / gcount[g] if gcount[g] else float("nan")) for t in TIERS}
            for g in range(len(KEY_GROUPS))
        },
        n_by_group={names[g]: gcount[g] for g in range(len(KEY_GROUPS))},
        n_evaluated=evaluated,
        retrains=retrains,
        local_updates_per_second=update_rows / update_secs if update_secs > 0 else float("nan"),
        memory_per_key=model.memory_per_key(),
    )
