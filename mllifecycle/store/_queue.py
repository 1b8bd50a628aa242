"""A label queue apps can fill: prioritised tasks, leases, answers, aggregation."""

from __future__ import annotations

import json
import math
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from mllifecycle._frames import frame_kind
from mllifecycle._validation import (
    _missing_label,
    check_int,
    check_labels_of_one_kind,
    check_scalar,
    described,
    fail,
    label_kind,
    label_kinds,
)
from mllifecycle.store._db import (
    MAX_INT,
    MAX_INT32,
    Store,
    _checkpoint,
    as_store,
    check_count,
    check_text,
    lone_surrogate,
    placeholders,
)
from mllifecycle.store._errors import LeaseError, NotFoundError, StoreError

__all__ = ["LabelQueue", "LabelTask", "majority_vote"]

#: The longest queue name, in UTF-8 bytes, that every backend indexes
#: (PostgreSQL's btree holds at most 2704 bytes per (queue, status, priority)).
_MAX_QUEUE_BYTES = 2000

_MAJORITY = {"majority", "majority_vote", "majority-vote"}


def _np_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class _TwoKeysError(ValueError):
    """A mapping with two keys that JSON writes as one string."""


def _no_twin_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _TwoKeysError(key)
        out[key] = value
    return out


def _encode_item(item: Any, caller: str) -> str:
    """Return an item's stored JSON text, its mappings' keys in the order given.

    Written with sorted keys, an item came back from :meth:`LabelQueue.lease`
    and :meth:`LabelQueue.export` with its fields in alphabetical order: a
    table of exported items (``pd.DataFrame([r["item"] for r in rows])``)
    had its feature columns reordered, and the labelling page showed fields
    out of the app's order. Two keys that JSON writes as one string (``1``
    and ``"1"``) are refused, as one of them would be lost.
    """
    try:
        text = json.dumps(item, allow_nan=False, default=_np_default)
    except (TypeError, ValueError) as exc:
        fail("items", "JSON-serialisable items (dicts, lists, strings, numbers)", item, caller)
        raise AssertionError from exc  # pragma: no cover
    if "{" in text:
        try:
            json.loads(text, object_pairs_hook=_no_twin_keys)
        except _TwoKeysError as exc:
            fail("items", "JSON-serialisable items whose mappings' keys stay distinct as "
                 "strings", described(f"two keys written {str(exc)!r} in an item"), caller)
    bad = lone_surrogate(item, text, _np_default)
    if bad is not None:
        fail("items", "JSON-serialisable items whose strings hold no lone surrogates (no "
             "UTF-8 text can carry them to a worker)",
             described(f"an item holding {bad!r}"), caller)
    return text


def _encode_label(
    label: Any, caller: str, name: str = "label", exists: Any = None
) -> str:
    """Return a label's stored JSON text, refusing what cannot be a label.

    Text labels must be non-empty and not only whitespace (an empty free-text
    box is no answer), hold no lone surrogate (no UTF-8 text can carry it),
    and have no leading or trailing whitespace: ``"cat "`` beside ``"cat"``
    would split a vote. Such a label is still taken when ``exists(text)``
    says the queue already holds it (written by an earlier release).
    """
    if isinstance(label, np.generic):
        label = label.item()
    ok = isinstance(label, str | int | bool) or (isinstance(label, float) and math.isfinite(label))
    if not ok:
        fail(name, "a string, an integer, a boolean or a finite float", label, caller)
    if isinstance(label, float) and label == 0.0:
        label = 0.0  # -0.0 is the label 0.0 (its JSON text "-0.0" would split the vote)
    text = json.dumps(label)
    if isinstance(label, str):
        if not label.strip():
            fail(name, "a non-empty label (a text label must hold more than whitespace)",
                 label, caller)
        bad = lone_surrogate(label, text)
        if bad is not None:
            fail(name, "a label without lone surrogates (no UTF-8 text can carry them)",
                 described(f"{label!r}, which holds {bad!r}"), caller)
        if label != label.strip() and (exists is None or not exists(text)):
            fail(name, "a label without leading or trailing whitespace (labels are matched "
                 "exactly: with a trailing space it would be another label, splitting the vote)",
                 described(f"{label!r} (did you mean {label.strip()!r}?)"), caller)
    return text


@attrs.frozen(kw_only=True)
class LabelTask:
    """A task handed to a worker: the item to label, under a lease.

    Attributes
    ----------
    id : int
        The task id to pass back to :meth:`LabelQueue.submit`.
    item : object
        What to label (as enqueued: any JSON value).
    priority : float
    n_answers : int
        Answers received so far.
    needed : int
        Answers wanted before the task is resolved.
    lease_expires : float or None
        When the lease ends (seconds since the epoch).

    Examples
    --------
    >>> from mllifecycle.store import LabelQueue, Store
    >>> queue = LabelQueue(Store(":memory:"))
    >>> _ = queue.enqueue([{"text": "great"}])
    >>> [task] = queue.lease("ann")
    >>> task.id, task.item
    (1, {'text': 'great'})
    """

    id: int
    item: Any
    priority: float
    n_answers: int
    needed: int
    lease_expires: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the task as a JSON-safe dict."""
        return attrs.asdict(self)


def majority_vote(labels: Sequence[Any]) -> tuple[Any, float]:
    """Return the most frequent label and its share of the votes.

    Ties go to the tied label answered first (``labels`` in answer order),
    so the rule is deterministic and needs no ordering of the labels.

    Parameters
    ----------
    labels : sequence
        The answers for one task, in the order they were given. Booleans
        beside numbers are refused (``True == 1`` would count a flag as a
        vote for ``1``).

    Returns
    -------
    label, confidence : object, float
        The winner and the fraction of answers that gave it.

    Examples
    --------
    >>> from mllifecycle.store import majority_vote
    >>> majority_vote(["cat", "dog", "dog"])
    ('dog', 0.6666666666666666)
    >>> majority_vote(["dog", "cat"])
    ('dog', 0.5)
    """
    caller = "majority_vote"
    if isinstance(labels, str | bytes | Mapping) or (
        isinstance(labels, np.ndarray) and labels.ndim != 1
    ):
        # a string would be voted letter by letter, and a mapping of label to
        # count read by Counter as counts ({"cat": 1, "dog": 5}: "dog" at 2.5)
        shown = f"a {type(labels).__name__}" if not isinstance(labels, np.ndarray) else (
            f"an array of shape {labels.shape}")
        fail("labels", "a sequence of answers (one label per answer)", described(shown), caller)
    if len(labels) == 0:
        fail("labels", "at least one answer", labels, caller)
    # NaN != NaN: the same missing answer was one vote or several depending on
    # whether it was one object, and None would win as a label
    missing = [i for i, v in enumerate(labels) if _missing_label(v) or (
        isinstance(v, np.floating) and bool(np.isnan(v)))]
    if missing:
        fail("labels", "answers without missing values (None, NaN or pd.NA)",
             described(f"{len(missing)} missing value(s), the first at position {missing[0]}"),
             caller)
    # True == 1 and hashes alike: a flag would be counted as a vote for the number
    flags_or_numbers = {
        k: v for k, v in label_kinds(labels).items() if k in ("booleans", "numbers")
    }
    if len(flags_or_numbers) > 1:
        check_labels_of_one_kind(list(flags_or_numbers.values()), "labels", caller)
    counts = Counter(labels)
    best = max(counts.values())
    winner = next(lab for lab in labels if counts[lab] == best)
    return winner, best / len(labels)


def _vote_key(text: str, shown: dict[str, str]) -> str:
    """Return the key an answer's stored JSON ``text`` is voted under.

    A float with an integral value is keyed as the integer (``1.0`` as ``1``),
    so numbers that are equal are one label; a text is keyed in Unicode NFC,
    so ``"café"`` typed precomposed or with a combining accent is one label
    (as queue and worker names are one name); anything else is keyed as it is
    stored (a queue's answers are of one kind, so ``true`` never meets ``1``).
    ``shown`` maps each key to the first text seen with it (what a resolved
    task's label is written as).
    """
    key = text
    if text[:1] in "-0123456789" and any(c in text for c in ".eE"):
        value = json.loads(text)
        if isinstance(value, float) and value.is_integer():
            key = str(int(value))
    elif text[:1] == '"' and "\\u" in text:  # stored as ASCII: non-ASCII text is escaped
        key = json.dumps(unicodedata.normalize("NFC", json.loads(text)))
    shown.setdefault(key, text)
    return key


def _aggregate_external(
    method: str, task: list[int], worker: list[str], label: list[str], shown: dict[str, str]
) -> dict[int, tuple[Any, float]]:
    """Aggregate with :func:`mllifecycle.labels.aggregate` (crowd aggregation).

    Answers go in long format (task, worker, label); each task's label and its
    posterior probability (the confidence) come back. The labels are the vote
    keys of :func:`_vote_key` (``1`` and ``1.0`` are one label), decoded on the
    way out as ``shown`` writes them.
    """
    from mllifecycle.labels import AGGREGATION_METHODS, aggregate

    if method.replace("-", "_") not in AGGREGATION_METHODS:
        raise StoreError(
            f"resolve(method={method!r}): method must be 'majority' or one of "
            f"{sorted(AGGREGATION_METHODS)!r}"
        )
    if len(set(label)) == 1:
        # every answer agrees: each method's posterior is 1 for that label
        # (aggregate itself needs two classes to estimate anything)
        return {int(t): (json.loads(shown[label[0]]), 1.0) for t in task}
    try:
        result = aggregate(
            {
                "task": np.asarray(task, dtype=np.int64),
                "worker": np.asarray(worker, dtype=object),
                "label": np.asarray(label, dtype=object),
            },
            method=method,
        )
    except ValueError as exc:
        raise StoreError(f"resolve(method={method!r}): {exc}") from exc
    conf = np.max(np.asarray(result.proba, dtype=float), axis=1)
    out: dict[int, tuple[Any, float]] = {}
    for i, (t, lab) in enumerate(zip(result.tasks.tolist(), result.labels.tolist(), strict=True)):
        out[int(t)] = (json.loads(shown[lab]), float(conf[i]))
    return out


def _warn_unreachable(min_answers: int, top: int, queue: str) -> None:
    """Warn that ``min_answers`` exceeds every open task's redundancy (nothing can resolve)."""
    import warnings

    from mllifecycle.exceptions import DegenerateDataWarning

    warnings.warn(
        f"resolve: min_answers={min_answers} is more than any open task of queue {queue!r} "
        f"can get (leases stop at a task's redundancy, at most {top} here): no task will "
        "ever be resolved with it",
        DegenerateDataWarning,
        stacklevel=3,
    )


class LabelQueue:
    """Labelling tasks that people answer inside apps, kept in a :class:`Store`.

    Parameters
    ----------
    store : Store, path or URL
    name : str, default "default"
        The queue's name (a store holds several queues), of at most 2000
        bytes in UTF-8. Queue and worker names are matched exactly: one with
        leading or trailing whitespace is refused, unless the store already
        holds it (a longer one too).
    redundancy : int, default 1
        Answers wanted per task (from different workers) before it can be
        resolved (at most 2**31 - 1); more than one lets :meth:`resolve` vote.

    Notes
    -----
    :meth:`lease` hands a task to one worker at a time: it is locked (and
    skipped by other leasers) until its lease ends, is answered, or expires;
    an expired lease returns the task to the queue. :meth:`submit` accepts an
    answer only from the worker holding an unexpired lease on an existing
    task. Each call is one transaction, so concurrent workers (processes,
    threads, web requests) lose no answer.

    Examples
    --------
    >>> from mllifecycle.store import LabelQueue, Store
    >>> queue = LabelQueue(Store(":memory:"), redundancy=3)
    >>> ids = queue.enqueue([{"text": "great"}, {"text": "awful"}], priority=[0.2, 0.9])
    >>> for worker, answer in [("ann", "neg"), ("bob", "neg"), ("cy", "pos")]:
    ...     [task] = queue.lease(worker, n_tasks=1)
    ...     queue.submit(task.id, worker, answer)
    >>> queue.resolve()
    1
    >>> queue.export()
    [{'task': 2, 'item': {'text': 'awful'}, 'label': 'neg', 'confidence': 0.6666666666666666,
      'n_answers': 3, 'method': 'majority'}]
    """

    def __init__(self, store: Store | str, name: str = "default", *, redundancy: int = 1) -> None:
        self.store = as_store(store, "LabelQueue")

        def exists(text: str) -> bool:  # a queue an earlier release created
            with self.store._read() as tx:
                row = tx.one("SELECT 1 FROM label_tasks WHERE queue = :q LIMIT 1", {"q": text})
            return row is not None

        self.name = check_text(name, "name", "LabelQueue", max_len=None, exists=exists)
        size = len(self.name.encode("utf-8"))
        if size > _MAX_QUEUE_BYTES and not exists(self.name):
            # PostgreSQL indexes (queue, status, priority) in at most 2704 bytes:
            # a longer name was refused there ("index row size exceeds btree
            # maximum") at the first enqueue, and stored by SQLite
            fail("name", f"a queue name of at most {_MAX_QUEUE_BYTES} bytes in UTF-8 (a "
                 "database index holds no longer one)", described(f"{size} bytes"), "LabelQueue")
        self.redundancy = check_count(
            redundancy, "redundancy", "LabelQueue", low=1, high=MAX_INT32
        )

    def __repr__(self) -> str:
        return f"LabelQueue({self.store!r}, name={self.name!r}, redundancy={self.redundancy})"

    def enqueue(
        self,
        items: Iterable[Any],
        priority: float | Sequence[float] | None = None,
        *,
        redundancy: int | None = None,
    ) -> list[int]:
        """Add items to label; return their task ids.

        Parameters
        ----------
        items : iterable
            JSON-serialisable items (a dict of features, a text, a URL ...),
            handed out and exported as given (a dict's keys in their order).
        priority : float or sequence of float, optional
            Higher is leased first (e.g. an active-learning query score);
            one number for all, or one per item. Default 0.
        redundancy : int, optional
            Answers wanted per task (default: the queue's).

        Returns
        -------
        list of int

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> LabelQueue(Store(":memory:")).enqueue(["a", "b"], priority=[1.0, 2.0])
        [1, 2]
        """
        caller = "enqueue"
        if isinstance(items, str | bytes | dict):
            fail("items", "an iterable of items", items, caller)
        kind = frame_kind(items)
        if kind is not None:
            # iterating a pandas DataFrame yields its column names, not its rows
            fail("items", "an iterable of items (a table's rows as records, e.g. "
                 "df.to_dict('records'))", described(f"a {kind} table"), caller)
        rows = [_encode_item(it, caller) for it in items]
        if priority is None:
            prios = [0.0] * len(rows)
        elif np.ndim(priority) == 0:
            if isinstance(priority, np.ndarray):
                priority = priority.item()  # a 0-d array is one number
            p = check_scalar(priority, "priority", caller=caller)
            prios = [p + 0.0] * len(rows)  # -0.0 is 0.0 on every backend (SQLite's reading)
        else:
            # text ("2") and flags (True) are no priorities, as a single one is not
            # (np.asarray(..., dtype=float) read "2" as 2.0 and True as 1.0)
            given: Any = priority.tolist() if isinstance(priority, np.ndarray) else priority
            bad = next((v for v in given if isinstance(v, str | bytes | bool | np.bool_)), None)
            if bad is not None:
                fail("priority", f"a number or one number per item ({len(rows)})",
                     described(f"a {type(bad).__name__} {bad!r}"), caller)
            try:
                arr = np.asarray(priority, dtype=float)
            except OverflowError:  # an int beyond the float range (10**400)
                fail("priority", "finite numbers", described("an int beyond the float range"),
                     caller)
            except (TypeError, ValueError):
                fail("priority", f"a number or one number per item ({len(rows)})", priority,
                     caller)
            if arr.ndim != 1 or arr.shape[0] != len(rows):
                fail(
                    "priority",
                    f"a number or one number per item ({len(rows)})",
                    described(f"shape {arr.shape}"),
                    caller,
                )
            if not np.all(np.isfinite(arr)):
                fail("priority", "finite numbers", described("NaN or inf"), caller)
            prios = [float(x) + 0.0 for x in arr]
        needed = self.redundancy
        if redundancy is not None:
            needed = check_count(redundancy, "redundancy", caller, low=1, high=MAX_INT32)
        ids: list[int] = []
        with self.store._write() as tx:
            now = tx.now()  # the store's clock (the server's, for PostgreSQL)
            for item, prio in zip(rows, prios, strict=True):
                row = tx.one(
                    "INSERT INTO label_tasks (queue, item, priority, needed, n_answers, status, "
                    "created_at) VALUES (:q, :item, :p, :needed, 0, 'open', :now) RETURNING id",
                    {"q": self.name, "item": item, "p": prio, "needed": needed, "now": now},
                )
                assert row is not None
                ids.append(int(row[0]))
        return ids

    def lease(self, worker: str, n_tasks: int = 1, ttl: float = 300.0) -> list[LabelTask]:
        """Hand up to ``n_tasks`` tasks to ``worker`` for ``ttl`` seconds, highest priority first.

        A task is never leased to two workers at once, nor to a worker who
        already answered it; a lease that expires returns the task.

        Parameters
        ----------
        worker : str
        n_tasks : int, default 1
        ttl : float, default 300
            Seconds the worker has to answer.

        Returns
        -------
        list of LabelTask
            Empty when nothing is left to label.

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> queue = LabelQueue(Store(":memory:"))
        >>> _ = queue.enqueue(["low", "high"], priority=[0.1, 0.9])
        >>> [t.item for t in queue.lease("ann", n_tasks=1)]
        ['high']
        >>> [t.item for t in queue.lease("bob", n_tasks=5)]
        ['low']
        >>> queue.lease("cy")
        []
        """
        caller = "lease"
        worker = _check_worker(self.store, worker, caller)
        check_int(n_tasks, "n_tasks", caller=caller, low=1)
        n_tasks = min(int(n_tasks), MAX_INT)  # "up to": more than the database holds is all
        ttl = check_scalar(ttl, "ttl", caller=caller, low=0.0, low_inclusive=False)
        with self.store._write() as tx:
            # the clock is read once this process may write (SQLite: after
            # waiting for other writers): read before, a lease that waited
            # longer than ttl for the lock was handed out already expired
            # (the server's clock for PostgreSQL: every machine leasing and
            # answering reads the one clock, whatever the skew of their own)
            now = tx.now()
            expires = now + ttl
            rows = tx.execute(
                "SELECT id, item, priority, n_answers, needed FROM label_tasks "
                "WHERE queue = :q AND status = 'open' AND n_answers < needed "
                "AND (leased_by IS NULL OR lease_expires <= :now) "
                "AND NOT EXISTS (SELECT 1 FROM label_answers a "
                "WHERE a.task_id = label_tasks.id AND a.worker = :w) "
                "ORDER BY priority DESC, id LIMIT :n{skip_locked}",
                {"q": self.name, "now": now, "w": worker, "n": n_tasks},
            )
            if rows:
                marks, params = placeholders("t", [int(r[0]) for r in rows])
                tx.execute(
                    f"UPDATE label_tasks SET leased_by = :w, lease_expires = :exp "
                    f"WHERE id IN ({marks})",
                    {"w": worker, "exp": expires, **params},
                )
        return [
            LabelTask(
                id=int(r[0]),
                item=json.loads(r[1]),
                priority=float(r[2]),
                n_answers=int(r[3]),
                needed=int(r[4]),
                lease_expires=expires,
            )
            for r in rows
        ]

    def submit(self, task: int | LabelTask, worker: str, label: Any) -> None:
        """Record ``worker``'s answer for ``task``; the worker must hold its lease.

        Parameters
        ----------
        task : int or LabelTask
        worker : str
        label : str, int, bool or float
            Of the kind of the queue's other answers. A text label must not be
            empty or only whitespace, nor start or end with whitespace
            (``"cat "`` beside ``"cat"`` would split the vote; one the queue
            already holds is still taken), nor hold a lone surrogate.

        Raises
        ------
        NotFoundError
            No such task in this queue.
        LeaseError
            The worker holds no unexpired lease on the task.

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> queue = LabelQueue(Store(":memory:"))
        >>> _ = queue.enqueue(["a photo"])
        >>> [task] = queue.lease("ann")
        >>> queue.submit(task, "ann", "cat")
        >>> queue.counts()
        {'open': 0, 'leased': 0, 'answered': 1, 'resolved': 0}
        """
        caller = "submit"
        task_id = task.id if isinstance(task, LabelTask) else task
        check_int(task_id, "task", caller=caller, low=1)
        task_id = int(task_id)
        worker = _check_worker(self.store, worker, caller)
        encoded = _encode_label(label, caller, exists=self._holds_label)
        now = time.time()  # when the answer came, before waiting for other writers
        with self.store._write() as tx:
            if tx.dialect == "postgresql":
                now = tx.now()  # the server's clock, which set the lease
            row = None if task_id > MAX_INT else tx.one(
                "SELECT leased_by, lease_expires, status FROM label_tasks "
                "WHERE id = :id AND queue = :q{for_update}",
                {"id": task_id, "q": self.name},
            )
            if row is None:
                raise NotFoundError(f"no task {task_id} in label queue {self.name!r}")
            leased_by, expires, status = row
            if status != "open":
                raise LeaseError(f"task {task_id} is already resolved")
            if leased_by != worker:
                held = "not leased" if leased_by is None else "leased to another worker"
                raise LeaseError(f"task {task_id} is not leased to worker {worker!r} ({held})")
            if expires is None or float(expires) <= now:
                raise LeaseError(
                    f"the lease of worker {worker!r} on task {task_id} expired; lease it again"
                )
            # answers of two kinds (true, 1 and "1") are three labels to the vote:
            # a task all three workers agreed on resolved at a third's confidence
            first_sql = (
                "SELECT a.label FROM label_answers a JOIN label_tasks t ON a.task_id = t.id "
                "WHERE t.queue = :q LIMIT 1"
            )
            first = tx.one(first_sql, {"q": self.name})
            if first is None and tx.dialect == "postgresql":
                # the queue's first answers: two workers answering two tasks at
                # once each saw no answer and both were taken (True beside 1).
                # One at a time per queue (released at commit); the statement
                # run after the wait sees the answer committed meanwhile, as
                # SQLite's one writer at a time does.
                tx.execute(
                    "SELECT pg_advisory_xact_lock(7164058, hashtext(:q))", {"q": self.name}
                )
                first = tx.one(first_sql, {"q": self.name})
            if first is not None:
                held, given = json.loads(first[0]), json.loads(encoded)
                if label_kind(held) != label_kind(given):
                    fail("label", f"a label of the kind of the answers in label queue "
                         f"{self.name!r} ({label_kind(held)}, such as {held!r}; True, 1 "
                         "and '1' would split a vote)",
                         described(f"{label_kind(given)}: {given!r}"), caller)
            tx.execute(
                "INSERT INTO label_answers (task_id, worker, label, at) "
                "VALUES (:id, :w, :label, :now)",
                {"id": task_id, "w": worker, "label": encoded, "now": now},
            )
            _checkpoint("submit:answer")
            tx.execute(
                "UPDATE label_tasks SET n_answers = n_answers + 1, leased_by = NULL, "
                "lease_expires = NULL WHERE id = :id",
                {"id": task_id},
            )

    def _holds_label(self, text: str) -> bool:
        """Whether an answer in this queue is the label whose stored JSON is ``text``."""
        with self.store._read() as tx:
            row = tx.one(
                "SELECT 1 FROM label_answers a JOIN label_tasks t ON a.task_id = t.id "
                "WHERE t.queue = :q AND a.label = :label LIMIT 1",
                {"q": self.name, "label": text},
            )
        return row is not None

    def counts(self) -> dict[str, int]:
        """Count tasks: open (free), leased, answered (enough answers) and resolved.

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> queue = LabelQueue(Store(":memory:"))
        >>> _ = queue.enqueue(["a", "b"]); _ = queue.lease("ann")
        >>> queue.counts()
        {'open': 1, 'leased': 1, 'answered': 0, 'resolved': 0}
        """
        with self.store._read() as tx:
            now = tx.now()
            row = tx.one(
                "SELECT "
                "SUM(CASE WHEN status = 'open' AND n_answers < needed AND "
                "(leased_by IS NULL OR lease_expires <= :now) THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN status = 'open' AND n_answers < needed AND "
                "leased_by IS NOT NULL AND lease_expires > :now THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN status = 'open' AND n_answers >= needed THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) "
                "FROM label_tasks WHERE queue = :q",
                {"now": now, "q": self.name},
            )
        keys = ("open", "leased", "answered", "resolved")
        return {k: int(v or 0) for k, v in zip(keys, row or (0, 0, 0, 0), strict=True)}

    def answers(self) -> list[dict[str, Any]]:
        """Return every answer in long format: task, worker, label, time.

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> queue = LabelQueue(Store(":memory:"))
        >>> _ = queue.enqueue(["a"]); [t] = queue.lease("ann"); queue.submit(t, "ann", 1)
        >>> [(a["task"], a["worker"], a["label"]) for a in queue.answers()]
        [(1, 'ann', 1)]
        """
        with self.store._read() as tx:
            rows = tx.execute(
                "SELECT a.task_id, a.worker, a.label, a.at FROM label_answers a "
                "JOIN label_tasks t ON t.id = a.task_id WHERE t.queue = :q ORDER BY a.id",
                {"q": self.name},
            )
        return [
            {"task": int(t), "worker": str(w), "label": json.loads(lab), "at": float(at)}
            for t, w, lab, at in rows
        ]

    def resolve(self, method: str = "majority", *, min_answers: int | None = None) -> int:
        """Aggregate the answers of every task that has enough; return how many were resolved.

        Parameters
        ----------
        method : str, default "majority"
            ``"majority"`` (built in: :func:`majority_vote`) or any method of
            :func:`mllifecycle.labels.aggregate` (Dawid-Skene and others),
            which then sees every answer in the queue so it can estimate each
            worker's reliability.
        min_answers : int, optional
            Resolve tasks with at least this many answers (default: each
            task's ``redundancy``). Above every open task's redundancy no
            task can get that many (leases stop at the redundancy): a
            :class:`~mllifecycle.exceptions.DegenerateDataWarning` says so.

        Returns
        -------
        int
            A task that another worker answers while it is being resolved
            (possible with ``min_answers``) is not resolved on answers that
            miss that one: it is left open for the next call, and not counted.

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> queue = LabelQueue(Store(":memory:"), redundancy=2)
        >>> _ = queue.enqueue(["a"])
        >>> for w in ("ann", "bob"):
        ...     [t] = queue.lease(w); queue.submit(t, w, "cat")
        >>> queue.resolve(), queue.resolve()
        (1, 0)
        """
        caller = "resolve"
        if not isinstance(method, str):
            fail("method", "a string naming an aggregation method", method, caller)
        if method not in _MAJORITY:
            # checked before anything is read: a misspelt method must not
            # return 0 while no task is ready and fail only once one is
            from mllifecycle.labels import AGGREGATION_METHODS

            if method.replace("-", "_") not in AGGREGATION_METHODS:
                fail("method", f"'majority' or one of {sorted(AGGREGATION_METHODS)!r}",
                     method, caller)
        if min_answers is not None:
            min_answers = check_count(min_answers, "min_answers", caller, low=1)
        with self.store._read() as tx:
            ready_rows = tx.execute(
                "SELECT id, n_answers FROM label_tasks WHERE queue = :q AND status = 'open' "
                "AND n_answers >= COALESCE(:m, needed) AND n_answers > 0",
                {"q": self.name, "m": min_answers},
            )
            # the answer count each decision is made on: a task answered again
            # between this read and the write below is left for the next call
            ready = {int(r[0]): int(r[1]) for r in ready_rows}
            if not ready:
                if min_answers is not None:
                    row = tx.one(
                        "SELECT MAX(needed) FROM label_tasks WHERE queue = :q AND "
                        "status = 'open'", {"q": self.name},
                    )
                    top = None if row is None or row[0] is None else int(row[0])
                    if top is not None and min_answers > top:
                        # leases stop at a task's redundancy: 0 forever, silently
                        _warn_unreachable(min_answers, top, self.name)
                return 0
            rows = tx.execute(
                "SELECT a.task_id, a.worker, a.label FROM label_answers a JOIN label_tasks t "
                "ON t.id = a.task_id WHERE t.queue = :q ORDER BY a.id",
                {"q": self.name},
            )
        # vote on one key per label value: 1 and 1.0 (one number) are one label,
        # written as the queue's first answer of that value wrote it
        shown: dict[str, str] = {}
        rows = [(int(t), str(w), _vote_key(str(lab), shown)) for t, w, lab in rows]
        if method in _MAJORITY:
            by_task: dict[int, list[str]] = {}
            for t, _w, key in rows:
                if t in ready:
                    by_task.setdefault(t, []).append(key)
            decided = {}
            for t, keys in by_task.items():
                winner, share = majority_vote(keys)
                decided[t] = (json.loads(shown[winner]), share)
            method = "majority"
        else:
            decided = _aggregate_external(
                method,
                [r[0] for r in rows],
                [r[1] for r in rows],
                [r[2] for r in rows],
                shown,
            )
        n = 0
        with self.store._write() as tx:
            now = tx.now()
            for t in sorted(ready):
                if t not in decided:
                    continue
                label, conf = decided[t]
                done = tx.execute(
                    "UPDATE label_tasks SET status = 'resolved', label = :label, "
                    "confidence = :c, method = :m, resolved_at = :now "
                    "WHERE id = :id AND status = 'open' AND n_answers = :k RETURNING id",
                    {
                        "label": json.dumps(label),
                        "c": None if math.isnan(conf) else conf,
                        "m": method,
                        "now": now,
                        "id": t,
                        "k": ready[t],
                    },
                )
                n += len(done)
        return n

    def export(self) -> list[dict[str, Any]]:
        """Return the resolved tasks, oldest first, as rows for training.

        Returns
        -------
        list of dict
            ``task``, ``item``, ``label``, ``confidence``, ``n_answers``,
            ``method`` per row (``pandas.DataFrame(rows)`` makes a table).

        Examples
        --------
        >>> from mllifecycle.store import LabelQueue, Store
        >>> queue = LabelQueue(Store(":memory:"))
        >>> _ = queue.enqueue([{"x": 1.5}]); [t] = queue.lease("ann"); queue.submit(t, "ann", 0)
        >>> _ = queue.resolve()
        >>> [(r["item"], r["label"]) for r in queue.export()]
        [({'x': 1.5}, 0)]
        """
        with self.store._read() as tx:
            rows = tx.execute(
                "SELECT id, item, label, confidence, n_answers, method FROM label_tasks "
                "WHERE queue = :q AND status = 'resolved' ORDER BY id",
                {"q": self.name},
            )
        return [
            {
                "task": int(i),
                "item": json.loads(item),
                "label": json.loads(label),
                "confidence": None if c is None else float(c),
                "n_answers": int(k),
                "method": str(m),
            }
            for i, item, label, c, k, m in rows
        ]


def _check_worker(store: Store, worker: Any, caller: str) -> str:
    """Return a checked worker name; one with surrounding whitespace only if the store holds it."""

    def exists(text: str) -> bool:  # a worker an earlier release recorded
        with store._read() as tx:
            row = tx.one(
                "SELECT 1 FROM label_answers WHERE worker = :w LIMIT 1", {"w": text}
            ) or tx.one("SELECT 1 FROM label_tasks WHERE leased_by = :w LIMIT 1", {"w": text})
        return row is not None

    return check_text(worker, "worker", caller, exists=exists)
