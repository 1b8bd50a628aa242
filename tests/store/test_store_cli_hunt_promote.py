"""Hunt: ``mllifecycle registry promote`` without ``--champion`` on a model that has one.

The version was judged by absolute gates only and the printed report read
"no champion (first model)" (``first_model: true``) beside ``previous: 1``,
with nothing saying that the champion was never compared. The command now
warns on stderr (naming the champion); the decision and exit status are
unchanged.
"""

from __future__ import annotations

import json
import warnings

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.cli import main
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, values in {"y": [0, 1, 1, 0, 1, 0, 1, 1], "good": [0, 1, 1, 0, 1, 0, 1, 1]}.items():
        path = tmp_path / f"{name}.csv"
        path.write_text("label\n" + "\n".join(map(str, values)) + "\n")
        out[name] = str(path)
    db = str(tmp_path / "reg.db")
    reg = Registry(Store(db))
    for _ in range(2):
        reg.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
    reg.store.close()
    out["db"] = db
    return out


def _promote(files, version, *extra):
    return main(["registry", "promote", "churn", str(version), "--store", files["db"],
                 "--y-true", files["y"], "--challenger", files["good"], "--minimum", "0.9",
                 *extra])


def test_first_promotion_does_not_warn(files, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _promote(files, 1) == 0
    assert json.loads(capsys.readouterr().out)["champion"] == 1


def test_promotion_over_a_champion_without_its_file_warns(files, capsys):
    assert _promote(files, 1) == 0
    capsys.readouterr()
    with pytest.warns(UserWarning, match=r"model 'churn' has a champion \(version 1\) and no "
                      r"--champion file was given: version 2 is judged by absolute gates only"):
        assert _promote(files, 2) == 0  # the decision is unchanged
    out = json.loads(capsys.readouterr().out)
    assert (out["previous"], out["champion"]) == (1, 2)


def test_promotion_with_the_champion_file_or_of_the_champion_does_not_warn(files, capsys):
    assert _promote(files, 1) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the champion itself again: nothing to compare (and nothing to record,
        # which is the one warning)
        warnings.filterwarnings("ignore", message="version 1 is already the champion")
        assert _promote(files, 1) == 0
        # (n=8 cannot show non-inferiority of identical outputs: exit 1, a refusal)
        assert _promote(files, 2, "--champion", files["good"], "--n-resamples", "100") in (0, 1)
    capsys.readouterr()
