"""Gates read a table named by class with the library's one rule; contexts evolve.

Columns ``[True, False]`` against labels ``0, 1`` (or ``[1, 0]`` against
``False, True``) named no class to the gates and were read by position, P(0)
for P(1) (mean probability of the true class 0.24 for 0.76), in
``GateContext`` and the comparisons; refused now, as in ``find_label_issues``.
``attrs.evolve`` of a context built from float16 probabilities lost the
type, and the rows, summing to 1 within float16's rounding only, were refused.
"""

from __future__ import annotations

import copy
import pickle

import attrs
import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, MetricThreshold, paired_bootstrap

_g = np.random.default_rng(2)
N = 200
P1 = _g.uniform(size=N)
Y = (_g.uniform(size=N) < P1).astype(int)
P = np.column_stack([1 - P1, P1])


@pytest.mark.parametrize(
    ("labels", "names", "match"),
    [(Y, [True, False], "the column True for the class 1"),
     (Y.astype(bool), [1, 0], "the column 1 for the class True")],
    ids=["flags-for-numbers", "numbers-for-flags"],
)
def test_names_of_another_kind_are_refused(labels, names, match):
    table = pd.DataFrame(P[:, ::-1], columns=names)
    with pytest.raises(InvalidParameterError, match=rf"'challenger_proba'.*{match}"):
        GateContext(y_true=labels, challenger=labels, challenger_proba=table)
    with pytest.raises(InvalidParameterError, match=rf"'champion'.*{match}"):
        paired_bootstrap(labels, table, P, metric="log_loss", n_resamples=50)


def test_default_names_beside_flags_are_read_by_position():
    flags = Y.astype(bool)  # pd.DataFrame(proba): columns 0, 1 are False, True
    ctx = GateContext(y_true=flags, challenger=flags, challenger_proba=pd.DataFrame(P))
    np.testing.assert_array_equal(ctx.challenger_proba, P)


def test_float_labels_read_numeric_text_names_by_value():
    ctx = GateContext(y_true=Y.astype(float), challenger=Y.astype(float),
                      challenger_proba=pd.DataFrame(P[:, ::-1], columns=["1", "0"]))
    np.testing.assert_array_equal(ctx.challenger_proba, P)


def _float16_context():
    x = _g.uniform(size=(N, 7)).astype(np.float16)
    p = (x / x.sum(axis=1, keepdims=True)).astype(np.float16)
    assert np.abs(p.astype(np.float64).sum(axis=1) - 1).max() > 1e-4  # float16 rounding
    y = _g.integers(0, 7, N)
    return GateContext(y_true=y, challenger=y, challenger_proba=p, champion_proba=p), p


def test_evolve_keeps_the_probability_type():
    ctx, _ = _float16_context()
    gate = MetricThreshold("log_loss", maximum=5)
    for other in (attrs.evolve(ctx, rng=1), attrs.evolve(attrs.evolve(ctx, rng=1), rng=2),
                  pickle.loads(pickle.dumps(ctx)), copy.deepcopy(ctx)):
        assert other._proba_as_given("challenger_proba").dtype == np.float16
        assert other._proba_as_given("champion_proba").dtype == np.float16
        assert gate.check(other).evidence == gate.check(ctx).evidence
    assert attrs.evolve(ctx, rng=1) == attrs.evolve(ctx, rng=1)


def test_evolve_reads_a_new_table_afresh():
    ctx, p = _float16_context()
    x = _g.uniform(size=(N, 7)).astype(np.float32)
    p32 = x / x.sum(axis=1, keepdims=True)
    other = attrs.evolve(ctx, challenger_proba=p32)
    assert other._proba_as_given("challenger_proba").dtype == np.float32
    assert other._proba_as_given("champion_proba").dtype == np.float16
    # a float64 table is checked at float64's tolerance, not the old float16 one
    with pytest.raises(InvalidParameterError, match=r"'challenger_proba'.*sum to 1"):
        attrs.evolve(ctx, challenger_proba=p.astype(np.float64))
    dropped = attrs.evolve(ctx, challenger_proba=None)
    assert dropped._proba_as_given("challenger_proba") is None
    assert dropped._proba_as_given("champion_proba").dtype == np.float16
