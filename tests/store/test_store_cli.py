"""``mllifecycle registry``: JSON output and exit codes."""

from __future__ import annotations

import json

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.cli import main
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, values in {
        "y": [0, 1, 1, 0, 1, 0, 1, 1],
        "good": [0, 1, 1, 0, 1, 0, 1, 1],
        "bad": [1, 0, 0, 1, 0, 1, 0, 1],
    }.items():
        path = tmp_path / f"{name}.csv"
        path.write_text("label\n" + "\n".join(map(str, values)) + "\n")
        out[name] = str(path)
    db = str(tmp_path / "reg.db")
    reg = Registry(Store(db))
    for _ in range(2):
        reg.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]), metrics={"auc": 0.8})
    reg.store.close()
    out["db"] = db
    return out


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_list_show_history(files, capsys):
    db = files["db"]
    assert main(["registry", "list", "--store", db]) == 0
    assert _json(capsys) == [
        {"name": "churn", "learning_type": "supervised", "champion": None, "n_versions": 2}
    ]
    assert main(["registry", "show", "churn", "--store", db]) == 0
    shown = _json(capsys)
    assert [v["version"] for v in shown] == [1, 2]
    assert shown[0]["metrics"] == {"auc": 0.8}
    assert main(["registry", "show", "churn", "--version", "2", "--store", db]) == 0
    assert _json(capsys)["version"] == 2
    assert main(["registry", "history", "churn", "--store", db]) == 0
    assert [e["kind"] for e in _json(capsys)] == ["register", "register"]


def test_promote_exit_codes_and_rollback(files, capsys):
    db = files["db"]
    base = ["registry", "promote", "churn", "--store", db, "--y-true", files["y"]]
    assert main([*base[:3], "1", *base[3:], "--challenger", files["bad"], "--minimum", "0.7"]) == 1
    out = _json(capsys)
    assert (out["passed"], out["champion"]) == (False, None)
    assert out["report"]["passed"] is False
    assert main([*base[:3], "1", *base[3:], "--challenger", files["good"], "--minimum", "0.7"]) == 0
    assert _json(capsys)["champion"] == 1
    argv = [*base[:3], "2", *base[3:], "--challenger", files["good"], "--champion", files["good"]]
    assert main([*argv, "--n-resamples", "200", "--margin", "0.1", "--reason", "retrain"]) == 0
    assert _json(capsys)["champion"] == 2
    assert main(["registry", "rollback", "churn", "--store", db]) == 0
    assert _json(capsys) == {"name": "churn", "champion": 1}
    assert Registry(Store(db)).champion("churn").version == 1
    assert main(["registry", "history", "churn", "--store", db]) == 0
    assert [e["kind"] for e in _json(capsys)] == [
        "register",
        "register",
        "reject",
        "promote",
        "promote",
        "rollback",
    ]


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["show", "nope"], "no model named 'nope'"),
        (["show", "churn", "--version", "9"], "no version 9"),
        (["history", "nope"], "no model named"),
        (["rollback", "churn"], "no earlier champion"),
        (["promote", "churn", "1", "--y-true", "{y}", "--challenger", "{good}"], "'gates'"),
        (
            [
                "promote",
                "churn",
                "7",
                "--y-true",
                "{y}",
                "--challenger",
                "{good}",
                "--minimum",
                "0.5",
            ],
            "no version 7",
        ),
        (
            ["promote", "churn", "1", "--y-true", "/no/file", "--challenger", "{good}"],
            "No such file",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(files, capsys, argv, match):
    argv = [a.format(**files) for a in argv]
    assert main(["registry", *argv, "--store", files["db"]]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("mllifecycle registry: error:")
    assert match in err[0]


def test_missing_store_file_is_refused_not_created(tmp_path, capsys):
    path = tmp_path / "typo.db"
    assert main(["registry", "list", "--store", str(path)]) == 2
    assert "no file" in capsys.readouterr().err
    assert not path.exists()


def test_store_is_required(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["registry", "list"])
    assert exc.value.code == 2
    assert "--store" in capsys.readouterr().err
