"""The lifecycle loop backtested over a stream, with policies compared side by side.

:func:`replay` runs drift -> policy -> retrain -> gate over historical data
and returns a :class:`ReplayResult` saying, per policy, what it would have
gained (accuracy) and cost (retrains, labels, compute).

Examples
--------
>>> from sklearn.linear_model import LogisticRegression
>>> from mllifecycle.datasets import sea_stream
>>> from mllifecycle.policies import Periodic
>>> from mllifecycle.replay import replay
>>> s = sea_stream(4000, rng=1)
>>> model = LogisticRegression(solver="newton-cholesky")
>>> r = replay(s.X, s.y, model, {"monthly": Periodic(every=1000)})
>>> r["monthly"].retrains
3
"""

from __future__ import annotations

from mllifecycle.replay._replay import replay
from mllifecycle.replay._result import PolicyRun, ReplayResult, RetrainEvent

__all__ = ["replay", "ReplayResult", "PolicyRun", "RetrainEvent"]
