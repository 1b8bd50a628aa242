"""A user's script on the public API: CI runs `mypy --strict` on it, so the types
a user sees through py.typed are complete enough for a strict type checker."""

from __future__ import annotations

import numpy as np

from mllifecycle import drift, gates
from mllifecycle.drift import stream

rng = np.random.default_rng(0)
reference = rng.normal(size=(500, 3))
current = rng.normal(size=(500, 3))
report = drift.detect(reference, current)
flag: bool = report.drift_detected
result = drift.ks(reference[:, 0], current[:, 0])
p: float | None = result.p_value

detector = stream.ADWIN()
hits = detector.update_many(rng.normal(size=1000))
first_hit: bool = detector.update(0.5)

y = rng.integers(0, 2, 300)
champion = np.where(rng.random(300) < 0.8, y, 1 - y)
challenger = np.where(rng.random(300) < 0.8, y, 1 - y)
mc = gates.mcnemar(y, champion, challenger)
decided: bool = mc.null_rejected
print(flag, p, len(hits), first_hit, decided)
