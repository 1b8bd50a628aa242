"""Streaming change detectors: feed values one at a time (or many at once).

Each detector follows :class:`mllifecycle.protocols.StreamDetector`; DDM,
EDDM, HDDM_A and HDDM_W also follow
:class:`mllifecycle.protocols.WarningDetector`. A user's own detector gets an
exact ``update_many`` from its ``update`` with :func:`with_update_many` (a
class decorator) or :func:`update_many_from_update`.
"""

from __future__ import annotations

from mllifecycle.drift.stream._adwin import ADWIN
from mllifecycle.drift.stream._cusum import CUSUM
from mllifecycle.drift.stream._ddm import DDM
from mllifecycle.drift.stream._eddm import EDDM
from mllifecycle.drift.stream._evaluate import (
    CalibrationResult,
    DetectorEvaluation,
    calibrate,
    evaluate_detector,
)
from mllifecycle.drift.stream._generic import update_many_from_update, with_update_many
from mllifecycle.drift.stream._hddm import HDDM_A, HDDM_W
from mllifecycle.drift.stream._kswin import KSWIN
from mllifecycle.drift.stream._page_hinkley import PageHinkley

__all__: list[str] = [
    "DDM",
    "EDDM",
    "HDDM_A",
    "HDDM_W",
    "PageHinkley",
    "CUSUM",
    "evaluate_detector",
    "DetectorEvaluation",
    "calibrate",
    "CalibrationResult",
    "ADWIN",
    "KSWIN",
    "update_many_from_update",
    "with_update_many",
]
