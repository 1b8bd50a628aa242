"""Two-tier training: a global batch model with per-key local models adapted online.

The pattern of real-time applications (e-commerce, mobile, IoT edge): one
model trained in batch for everyone, beside small models per user, device or
segment that keep adapting between global retrains.

- :class:`TwoTier`: the estimator (``fit`` the global tier, ``partial_fit``
  the local tiers, ``predict_proba`` with the keys);
- :func:`replay_keyed`: the pattern backtested over a keyed stream, accuracy
  per tier (global, per-key-only, two-tier) and per key group (cold, warm,
  hot), with the global tier retrained by any retraining policy.
"""

from __future__ import annotations

from mllifecycle.twotier._model import LOCAL_STRATEGIES, TwoTier
from mllifecycle.twotier._replay import KEY_GROUPS, TIERS, KeyedReplayResult, replay_keyed

__all__ = [
    "TwoTier",
    "LOCAL_STRATEGIES",
    "replay_keyed",
    "KeyedReplayResult",
    "TIERS",
    "KEY_GROUPS",
]
