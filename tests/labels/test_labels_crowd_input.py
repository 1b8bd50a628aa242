"""Input formats, bad input (table of errors), stated rules, result objects."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.labels import (
    CrowdResult,
    aggregate,
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin,
    wawa,
    zero_based_skill,
)

ALL = [majority_vote, wawa, zero_based_skill, dawid_skene, one_coin, glad, mace]
GOOD = [["t1", "a", "x"], ["t1", "b", "x"], ["t2", "a", "y"], ["t2", "b", "y"],
        ["t3", "a", "x"], ["t3", "b", "y"]]


def _obj(rows):
    arr = np.empty((len(rows), 3), dtype=object)
    arr[:] = rows
    return arr


BAD = [
    ("label outside classes", {"answers": GOOD, "classes": ["x", "z"]},
     r"labels among the classes \['x', 'z'\].*unknown label\(s\), e.g. 'y'"),
    ("NaN task id", {"answers": _obj([[float("nan"), "a", "x"], ["t", "b", "y"]])},
     r"free of missing \(None/NaN\) values in column 'task'"),
    ("None worker", {"answers": _obj([["t", None, "x"], ["t", "b", "y"]])},
     r"free of missing \(None/NaN\) values in column 'worker'"),
    ("missing label", {"answers": _obj([["t", "a", None], ["t", "b", "y"]])},
     r"column 'label' \(drop unanswered rows first\)"),
    ("duplicate answer", {"answers": [*GOOD, ["t1", "a", "y"]]},
     r"one answer per \(task, worker\) pair.*task 't1' by worker 'a'"),
    ("empty", {"answers": np.empty((0, 3))}, r"at least one answer"),
    ("empty list", {"answers": []}, r"at least one answer"),
    ("one class", {"answers": [["t", "a", "x"], ["t", "b", "x"]]},
     r"at least 2 distinct classes \(or pass classes=\)"),
    ("wrong shape", {"answers": np.zeros((4, 2))}, r"\(n_answers, 3\) array"),
    ("string", {"answers": "answers.csv"}, r"'answers' parameter"),
    ("missing column", {"answers": {"task": [1], "worker": [1]}},
     r"a column 'label'"),
    ("unequal columns", {"answers": {"task": [1, 2], "worker": [1], "label": [0]}},
     r"columns of equal length"),
    ("bad columns", {"answers": GOOD, "columns": ("task", "worker")},
     r"'columns' parameter.*three column names"),
    ("bad duplicates", {"answers": GOOD, "duplicates": "sum"},
     r"'duplicates' parameter.*one of"),
    ("repeated classes", {"answers": GOOD, "classes": ["x", "x", "y"]},
     r"distinct class labels"),
    ("gold label unknown", {"answers": GOOD, "gold": {"t1": "z"}},
     r"'gold' parameter.*unknown label"),
    ("gold shape", {"answers": GOOD, "gold": [1, 2, 3]}, r"'gold' parameter.*mapping"),
    ("bad rng", {"answers": GOOD, "rng": -1}, r"'rng' parameter"),
]


@pytest.mark.parametrize("func", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("case", "kwargs", "match"), BAD, ids=[b[0] for b in BAD])
def test_bad_input(func, case, kwargs, match):
    kwargs = dict(kwargs)
    answers = kwargs.pop("answers")
    with pytest.raises(InvalidParameterError, match=match):
        func(answers, **kwargs)


@pytest.mark.parametrize(
    ("func", "kwargs", "match"),
    [
        (dawid_skene, {"max_iter": 0}, r"'max_iter' parameter of dawid_skene"),
        (dawid_skene, {"tol": -1.0}, r"'tol' parameter"),
        (dawid_skene, {"smoothing": -0.1}, r"'smoothing' parameter"),
        (one_coin, {"max_iter": 1.5}, r"'max_iter' parameter of one_coin"),
        (glad, {"m_step_iter": 0}, r"'m_step_iter' parameter"),
        (glad, {"class_prior": [0.5, 0.6]}, r"'class_prior' parameter"),
        (glad, {"class_prior": "fit"}, r"'class_prior' parameter"),
        (mace, {"n_restarts": -1}, r"'n_restarts' parameter"),
        (zero_based_skill, {"learning_rate": 0.0}, r"'learning_rate' parameter"),
        (aggregate, {"method": "em"}, r"'method' parameter of aggregate"),
        (aggregate, {"method": "glad", "n_restarts": 3},
         r"'n_restarts' parameter of aggregate must be a parameter of glad"),
    ],
)
def test_bad_parameters(func, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        func(GOOD, **kwargs)


def test_spammers_threshold_checked():
    with pytest.raises(InvalidParameterError, match="'threshold' parameter"):
        majority_vote(GOOD, rng=0).spammers(2.0)


@pytest.mark.parametrize("func", [dawid_skene, one_coin, glad, mace], ids=lambda f: f.__name__)
def test_single_worker_warns_and_returns_its_answers(func):
    rows = [[t, "only", "x" if t % 3 else "y"] for t in range(12)]
    with pytest.warns(DegenerateDataWarning, match="a single worker"):
        res = func(rows, rng=0)
    assert res.labels.tolist() == [r[2] for r in rows]


def test_duplicate_rules():
    rows = [["t", "a", "x"], ["t", "a", "y"], ["t", "a", "y"], ["t", "b", "x"]]
    first = majority_vote(rows, duplicates="first", rng=0)
    last = majority_vote(rows, duplicates="last", rng=0)
    keep = majority_vote(rows, duplicates="keep", rng=0)
    assert first.n_answers == last.n_answers == 2
    np.testing.assert_allclose(first.proba, [[1.0, 0.0]])
    np.testing.assert_allclose(last.proba, [[0.5, 0.5]])
    np.testing.assert_allclose(keep.proba, [[0.5, 0.5]])
    assert keep.n_answers == 4


def test_formats_agree():
    pd = pytest.importorskip("pandas")
    rows = [[f"t{t}", f"w{w}", ["cat", "dog", "emu"][(t + (w == 3)) % 3]]
            for t in range(30) for w in range(4)]
    frame = pd.DataFrame(rows, columns=["item", "annotator", "answer"])
    cols = ("item", "annotator", "answer")
    a = dawid_skene(frame, columns=cols, rng=0)
    b = dawid_skene({c: frame[c].tolist() for c in cols}, columns=cols, rng=0)
    c = dawid_skene(np.array(rows), rng=0)
    d = dawid_skene(rows, rng=0)
    for other in (b, c, d):
        np.testing.assert_allclose(a.proba, other.proba)
        assert a.tasks.tolist() == other.tasks.tolist()
        assert a.labels.tolist() == other.labels.tolist()
    assert a.classes.tolist() == ["cat", "dog", "emu"]


def test_mixed_id_types_and_class_order():
    rows = [[1, "a", "no"], ["two", "a", "yes"], [1, 7, "no"], ["two", 7, "yes"]]
    res = dawid_skene(rows, classes=["yes", "no"], rng=0)
    assert res.tasks.tolist() == [1, "two"]  # first appearance when ids are incomparable
    assert res.classes.tolist() == ["yes", "no"]
    assert res.labels.tolist() == ["no", "yes"]
    assert res.proba[0, 1] > 0.5


def test_declared_class_without_answers():
    rows = [[t, w, t % 2] for t in range(10) for w in range(3)]
    res = dawid_skene(rows, classes=[0, 1, 2], rng=0)
    assert res.proba.shape == (10, 3)
    assert np.all(res.proba[:, 2] < 0.05)


def test_ties_are_seeded_and_random():
    rows = [[t, w, w % 2] for t in range(200) for w in range(2)]
    a = majority_vote(rows, rng=1).labels
    b = majority_vote(rows, rng=1).labels
    np.testing.assert_array_equal(a, b)
    assert 0.35 < a.mean() < 0.65  # both classes chosen about equally


def test_result_protocol():
    res = dawid_skene(GOOD, gold={"t3": "x"}, rng=0)
    assert isinstance(res, CrowdResult)
    d = res.to_dict()
    json.dumps(d)
    assert d["classes"] == ["x", "y"]
    assert len(d["proba"]) == 3
    m = res.to_metrics()
    assert all(isinstance(v, float) for v in m.values())
    assert m["gold_accuracy"] in (0.0, 1.0)
    assert "CrowdResult(method='dawid_skene'" in repr(res)
    assert "<table>" in res._repr_html_()
    assert math.isnan(majority_vote(GOOD, rng=0).to_metrics()["log_likelihood"])
    np.testing.assert_allclose(res.proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(res.confusion.sum(axis=2), 1.0)


answers_st = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 4), st.integers(0, 2)),
    min_size=4, max_size=40, unique_by=lambda r: (r[0], r[1]),
).filter(lambda rows: len({r[2] for r in rows}) >= 2)


@settings(max_examples=25, deadline=None)
@given(answers_st, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    for func in (majority_vote, dawid_skene, one_coin, mace):
        kw = {"n_restarts": 0} if func is mace else {}
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateDataWarning)
                a = func(np.array(rows), rng=0, **kw)
                b = func(np.array(shuffled), rng=0, **kw)
        np.testing.assert_allclose(a.proba, b.proba, atol=1e-9)
        assert np.all(np.isfinite(a.proba))


def test_dataframe_kinds_and_nullable_columns():
    pd = pytest.importorskip("pandas")
    rows = [[t, f"w{w}", "ab"[(t + (w == 2)) % 2]] for t in range(12) for w in range(3)]
    base = dawid_skene(np.array(rows, dtype=object), rng=0)
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"])
    frame["task"] = frame["task"].astype("Int64")
    frame["label"] = frame["label"].astype("category")
    frame["worker"] = frame["worker"].astype("string")
    res = dawid_skene(frame, rng=0)
    np.testing.assert_allclose(res.proba, base.proba)
    assert res.tasks.tolist() == list(range(12))
    with_na = frame.copy()
    with_na.loc[3, "worker"] = pd.NA
    with pytest.raises(InvalidParameterError, match="column 'worker'"):
        dawid_skene(with_na)
    pl = pytest.importorskip("polars")
    res_pl = dawid_skene(pl.DataFrame({"task": [r[0] for r in rows],
                                       "worker": [r[1] for r in rows],
                                       "label": [r[2] for r in rows]}), rng=0)
    np.testing.assert_allclose(res_pl.proba, base.proba)


def test_glad_class_prior_options(crowd):
    answers, truth, _, _ = crowd(n_tasks=600, n_good=8, per_task=4,
                                 prior=(0.7, 0.2, 0.1), seed=12)
    fixed = glad(answers, rng=0)
    np.testing.assert_allclose(fixed.prior, 1 / 3)
    est = glad(answers, class_prior="estimate", rng=0)
    assert abs(est.prior[0] - np.mean(truth == 0)) < 0.05
    given = glad(answers, class_prior=[0.7, 0.2, 0.1], rng=0)
    np.testing.assert_allclose(given.prior, [0.7, 0.2, 0.1])
    assert np.mean(est.labels == truth) >= np.mean(fixed.labels == truth) - 0.02


def test_results_pickle():
    import pickle

    res = mace(GOOD, rng=0)
    again = pickle.loads(pickle.dumps(res))
    np.testing.assert_array_equal(again.proba, res.proba)
    assert again.method == "mace"


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16), st.permutations(range(4)))
def test_label_model_ignores_column_order(seed, perm):
    from mllifecycle.labels import LabelModel

    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 300)
    cols = []
    for acc, cov in [(0.9, 0.5), (0.75, 0.6), (0.65, 0.8), (0.8, 0.3)]:
        vote = np.where(rng.random(300) < acc, y, 1 - y)
        cols.append(np.where(rng.random(300) < cov, vote, -1))
    L = np.column_stack(cols)
    for method in ("dawid_skene", "majority_vote", "matrix_completion"):
        a = LabelModel(method=method, rng=0).fit(L).predict_proba(L)
        b = LabelModel(method=method, rng=0).fit(L[:, list(perm)]).predict_proba(L[:, list(perm)])
        np.testing.assert_allclose(a, b, atol=1e-6 if method == "matrix_completion" else 1e-10)


@pytest.mark.parametrize("func", ALL, ids=lambda f: f.__name__)
def test_a_table_with_a_repeated_answer_column_is_refused(func):
    """Two columns named 'label' (e.g. crowd and gold): the last one was read
    silently. A repeated column the aggregators do not read is fine."""
    pd = pytest.importorskip("pandas")
    rows = [[t, w, y, 1 - y] for t, w, y in
            [[1, "a", 0], [1, "b", 0], [2, "a", 1], [2, "b", 1], [3, "a", 0], [3, "b", 1]]]
    df = pd.DataFrame(rows, columns=["task", "worker", "label", "label"])
    with pytest.raises(InvalidParameterError,
                       match=r"'answers' parameter of \w+ must be a table with one column "
                             r"named 'label'"):
        func(df, rng=0)
    df.columns = ["task", "worker", "label", "extra"]
    other = df.assign(extra2=df["extra"]).rename(columns={"extra2": "extra"})
    assert func(other, rng=0).labels.tolist() == func(df, rng=0).labels.tolist()
