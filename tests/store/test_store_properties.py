"""Properties: the champion after any sequence of operations matches a plain model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import Registry, Store, StoreError

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("register")),
        st.tuples(st.just("promote"), st.integers(1, 6), st.booleans()),
        st.tuples(st.just("rollback"), st.none() | st.integers(1, 6)),
    ),
    max_size=25,
)
PASS = GateContext(y_true=[0, 1], challenger=[0, 1])
FAIL = GateContext(y_true=[0, 1], challenger=[1, 0])
GATE = MetricThreshold("accuracy", minimum=0.75)


@settings(max_examples=40, deadline=None)
@given(ops=OPS)
def test_champion_follows_a_stack_of_promotions_and_rollbacks(ops):
    reg = Registry(Store(":memory:"))
    reg.register("m", {"v": 0}, format="pickle")
    n_versions = 1
    champion = None
    stack = []  # the reference model: promotions push, rollbacks pop
    for op in ops:
        if op[0] == "register":
            n_versions += 1
            assert reg.register("m", {"v": n_versions}, format="pickle").version == n_versions
        elif op[0] == "promote":
            version, passes = op[1], op[2]
            if version > n_versions:
                continue
            if passes and version == champion:  # the champion again: a no-op, with a warning
                with pytest.warns(UserWarning, match="already the champion"):
                    result = reg.promote("m", version, gates=GATE, context=PASS)
            else:
                result = reg.promote("m", version, gates=GATE, context=PASS if passes else FAIL)
            assert result.passed is passes
            assert result.previous == champion
            if passes:
                if not stack or stack[-1] != version:  # re-promoting is no new layer
                    stack.append(version)
                champion = version
        else:
            to = op[1]
            if to is not None and to > n_versions:
                continue
            if to is None:
                if len(stack) < 2:
                    with pytest.raises(StoreError, match="no earlier champion"):
                        reg.rollback("m")
                    continue
                stack.pop()
                target = stack[-1]
            else:
                target = to
                if to in stack:
                    while stack[-1] != to:
                        stack.pop()
                else:
                    stack.append(to)
            if target == champion:  # the champion already: a no-op, with a warning
                with pytest.warns(UserWarning, match="already the champion"):
                    assert reg.rollback("m", to=to) == target
            else:
                assert reg.rollback("m", to=to) == target
            champion = target
        current = reg.champion("m")
        assert (current.version if current else None) == champion
    assert [v.version for v in reg.versions("m")] == list(range(1, n_versions + 1))
    if champion is not None:
        assert reg.load("m", trusted=True) == {"v": 0 if champion == 1 else champion}
    assert reg.store.check() == []
