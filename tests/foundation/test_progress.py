from __future__ import annotations

import numpy as np
import pytest

from mllifecycle._progress import check_progress, make_progress
from mllifecycle.exceptions import InvalidParameterError


def test_callback_sees_every_step():
    seen = []
    with make_progress(lambda d, t: seen.append((d, t)), total=3) as bar:
        for _ in range(3):
            bar.update()
    assert seen == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_bad_progress_is_refused(bad):
    with pytest.raises(InvalidParameterError, match="'progress' parameter of f"):
        make_progress(bad, total=1, caller="f")


def test_true_draws_a_tqdm_bar(capsys):
    pytest.importorskip("tqdm")
    with make_progress(True, total=2, desc="x") as bar:
        bar.update(2)
    assert bar.done == 2


def test_true_without_tqdm_says_how_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "tqdm" else real(n, *a)
    )
    with pytest.raises(ImportError, match=r"mllifecycle\[progress\]"):
        make_progress(True, total=1, caller="f")


@pytest.mark.parametrize("flag", [np.bool_(False), np.bool_(True)])
def test_numpy_bools_are_flags(flag):
    # refused before ("Got np.False_"), where every other flag takes NumPy bools
    got = check_progress(flag)
    assert type(got) is bool
    assert got is bool(flag)
