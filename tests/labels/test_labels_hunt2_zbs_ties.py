"""zero_based_skill: tied tasks do not favour the first class (skills independent of names)."""
from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import zero_based_skill


def _disagreeing_pair():
    # A and B agree on 20 tasks (10 of each class) and disagree on 10 (A says 0,
    # B says 1): both classes have 30 answers, so the 10 ties favour no one
    rows = [(t, w, 0) for t in range(10) for w in "AB"]
    rows += [(t, w, 1) for t in range(10, 20) for w in "AB"]
    rows += [(t, "A", 0) for t in range(20, 30)] + [(t, "B", 1) for t in range(20, 30)]
    return rows


def test_tied_tasks_are_shared_between_the_tied_classes():
    # hand computation: each tie credits both workers 1/2, so each agrees
    # (20 + 10 / 2) / 30 = 5/6 of the time, at every iteration
    res = zero_based_skill(_disagreeing_pair(), rng=0)
    assert res.workers.tolist() == ["A", "B"]
    np.testing.assert_allclose(res.skills, [5 / 6, 5 / 6])
    assert res.converged


@pytest.mark.parametrize("names", [("a", "b"), ("b", "a"), (1, 0)])
def test_skills_do_not_depend_on_the_class_names(names):
    # the first class used to win every tie: A came out perfect (skill 1.0) and
    # B at 2/3, and with the classes renamed the other way round the reverse
    rows = [(t, w, names[c]) for t, w, c in _disagreeing_pair()]
    np.testing.assert_allclose(zero_based_skill(rows, rng=0).skills, [5 / 6, 5 / 6])


def test_simulated_mirror_workers_rank_the_same_under_renamed_classes():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 400)
    rows = []
    for t, c in enumerate(truth):  # A errs on class 1 only, B on class 0 only
        rows.append((t, "A", 0 if (c == 1 and rng.random() < 0.3) else int(c)))
        rows.append((t, "B", 1 if (c == 0 and rng.random() < 0.3) else int(c)))
    renamed = [(t, w, "x1" if c == 0 else "x0") for t, w, c in rows]  # order flips
    first = zero_based_skill(rows, rng=0)
    second = zero_based_skill(renamed, rng=0)
    np.testing.assert_allclose(first.skills, second.skills)
