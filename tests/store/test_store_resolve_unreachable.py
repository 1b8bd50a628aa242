"""resolve(min_answers=...) above every open task's redundancy can never resolve anything.

Leases stop at a task's redundancy, so such a call returned 0 forever,
without a word.
"""

from __future__ import annotations

import warnings

import pytest

from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.store import LabelQueue, Store


def _answered(url: str) -> LabelQueue:
    queue = LabelQueue(Store(url), redundancy=2)
    queue.enqueue(["a", "b"])
    for w in ("ann", "bob"):
        for t in queue.lease(w, n_tasks=2):
            queue.submit(t, w, "cat")
    return queue


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_min_answers_above_the_redundancy_warns(backend, request):
    queue = _answered(request.getfixturevalue(f"{backend}_url"))
    with pytest.warns(DegenerateDataWarning, match=r"min_answers=3 is more than any open task "
                      r"of queue .* can get \(leases stop at a task's redundancy, at most 2"):
        assert queue.resolve(min_answers=3) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        assert queue.resolve(min_answers=2) == 2


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_min_answers_that_a_task_may_still_reach_does_not_warn(backend, request):
    queue = LabelQueue(Store(request.getfixturevalue(f"{backend}_url")), redundancy=3)
    queue.enqueue(["a"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        assert queue.resolve(min_answers=3) == 0
