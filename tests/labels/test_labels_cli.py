"""``mllifecycle labels aggregate``: output, JSON, gold, exit statuses."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from mllifecycle.cli import main
from mllifecycle.labels import dawid_skene, glad


@pytest.fixture
def files(tmp_path, crowd):
    answers, truth, _, _ = crowd(n_tasks=120, n_good=6, n_uniform=2, per_task=4, seed=1)
    names = ["cat", "dog", "emu"]
    rows = [[f"t{t:03d}", f"w{w}", names[y]] for t, w, y in answers]
    a = tmp_path / "answers.csv"
    with a.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["annotator", "item", "answer"])  # columns in another order
        w.writerows([[r[1], r[0], r[2]] for r in rows])
    plain = tmp_path / "plain.csv"
    with plain.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    g = tmp_path / "gold.csv"
    with g.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["task", "label"])
        w.writerows([[f"t{t:03d}", names[truth[t]]] for t in range(30)])
    return {"answers": str(a), "plain": str(plain), "gold": str(g), "rows": rows,
            "truth": truth, "dir": tmp_path}


COLS = ["--columns", "item,annotator,answer"]


def _read(text):
    lines = list(csv.reader(text.strip().splitlines()))
    assert lines[0] == ["task", "label", "confidence"]
    return lines[1:]


def test_aggregate_writes_the_library_result(files, capsys):
    assert main(["labels", "aggregate", files["answers"], *COLS]) == 0
    out = _read(capsys.readouterr().out)
    res = dawid_skene(np.array(files["rows"]), rng=0)
    assert [r[0] for r in out] == res.tasks.tolist()
    assert [r[1] for r in out] == res.labels.tolist()
    np.testing.assert_allclose([float(r[2]) for r in out], res.confidence, rtol=1e-5)


def test_no_header_method_and_output_file(files, capsys):
    dest = files["dir"] / "out.csv"
    status = main(["labels", "aggregate", files["plain"], "--no-header", "--method", "glad",
                   "-o", str(dest)])
    assert status == 0
    assert "CrowdResult(method='glad'" in capsys.readouterr().out
    out = _read(dest.read_text())
    assert [r[1] for r in out] == glad(np.array(files["rows"]), rng=0).labels.tolist()


def test_json_and_gold(files, capsys):
    status = main(["labels", "aggregate", files["answers"], *COLS, "--gold", files["gold"],
                   "--json", "--method", "one-coin"])
    assert status == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["method"] == "one_coin"
    assert doc["n_gold"] == 30
    assert 0.0 <= doc["gold_accuracy"] <= 1.0
    assert len(doc["tasks"]) == 120
    assert {w["worker"] for w in doc["workers"]} == {f"w{i}" for i in range(8)}
    assert doc["classes"] == ["cat", "dog", "emu"]


def test_min_gold_accuracy_exit_status(files, capsys):
    args = ["labels", "aggregate", files["answers"], *COLS, "--gold", files["gold"]]
    names = np.array(["cat", "dog", "emu"])
    gold = {f"t{t:03d}": names[files["truth"][t]] for t in range(30)}
    acc = dawid_skene(np.array(files["rows"]), gold=gold, rng=0).gold_accuracy
    assert 0.0 < acc < 1.0
    assert main([*args, "--min-gold-accuracy", str(acc)]) == 0
    capsys.readouterr()
    assert main([*args, "--min-gold-accuracy", str(min(1.0, acc + 0.01))]) == 1
    assert "below" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "content", "message"),
    [
        ([], "task,worker\n1,a\n", "no column(s) ['label'] in the header"),
        (["--no-header"], "1,a\n", "expected at least three"),
        ([], "", "empty file"),
        ([], "task,worker,label\n", "no data rows"),
        ([], "task,worker,label\n1,a,x\n1,a,y\n", "one answer per (task, worker) pair"),
        ([], "task,worker,label\n1,a,\n2,b,y\n", "empty cell(s) in column 'label'"),
        ([], "task,worker,label\n1,a,x\n2,a\n", "line 3 has 2 field(s)"),
        (["--columns", "a,b"], "a,b\n1,2\n", "three distinct comma-separated names"),
        (["--min-gold-accuracy", "0.5"], "task,worker,label\n1,a,x\n1,b,y\n",
         "used together with --gold"),
        (["--classes-are-wrong"], "task,worker,label\n1,a,x\n", None),
    ],
)
def test_bad_input_exits_2(tmp_path, capsys, extra, content, message):
    path = tmp_path / "a.csv"
    path.write_text(content)
    if message is None:  # argparse rejects unknown options with status 2
        with pytest.raises(SystemExit) as exc:
            main(["labels", "aggregate", str(path), *extra])
        assert exc.value.code == 2
        return
    assert main(["labels", "aggregate", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mllifecycle labels: error:")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_file_and_no_subcommand(tmp_path, capsys):
    assert main(["labels", "aggregate", str(tmp_path / "nope.csv")]) == 2
    assert "No such file" in capsys.readouterr().err
    assert main(["labels"]) == 2


def test_numeric_ids_print_as_written_and_semicolons(tmp_path, capsys):
    rows = [f"{t};{w};{(t + (w == 3)) % 2}" for t in range(1, 9) for w in range(4)]
    path = tmp_path / "a.csv"
    path.write_text("task;worker;label\n" + "\n".join(rows) + "\n")
    gold = tmp_path / "g.csv"
    gold.write_text("item;truth\n1;1\n2;0\n")
    assert main(["labels", "aggregate", str(path), "--gold", str(gold), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["classes"] == [0, 1]
    assert doc["n_gold"] == 2
    assert [t["task"] for t in doc["tasks"]][:3] == ["1", "2", "3"]
    assert [t["label"] for t in doc["tasks"]] == ["1", "0"] * 4


@pytest.mark.parametrize(
    ("gold", "status", "n_gold", "match"),
    [
        # the bug: a gold file without a header lost its first gold task (taken
        # for column names) and the gold accuracy was computed without it
        ("t1,yes\nt3,no\n", 2, None, r"gold.csv: the first row 't1,yes' names task 't1'"),
        ("1,yes\n3,no\n", 2, None, r"first row '1,yes' names task '1'"),
        ("task,label\nt1,yes\nt3,no\n", 0, 2, None),
        ("item,truth\nt1,yes\nt3,no\n", 0, 2, None),  # other names: by position
    ],
)
def test_gold_header_row(tmp_path, capsys, gold, status, n_gold, match):
    import re

    numeric = gold.startswith("1,")
    ids = ["1", "2", "3"] if numeric else ["t1", "t2", "t3"]
    labels = ["yes", "yes", "no", "no", "yes", "no"]
    rows = [f"{ids[i // 2]},{'ab'[i % 2]},{lab}" for i, lab in enumerate(labels)]
    answers = tmp_path / "a.csv"
    answers.write_text("task,worker,label\n" + "\n".join(rows) + "\n")
    g = tmp_path / "gold.csv"
    g.write_text(gold)
    assert main(["labels", "aggregate", str(answers), "--gold", str(g), "--json"]) == status
    out, err = capsys.readouterr()
    if match:
        assert re.search(match, err), err
        assert len(err.strip().splitlines()) == 1
    else:
        assert json.loads(out)["n_gold"] == n_gold


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_output_in_a_missing_directory_fails_before_any_output(tmp_path, capsys, json_flag):
    # the aggregation ran and --json printed its result, then writing -o failed
    answers = tmp_path / "a.csv"
    answers.write_text("task,worker,label\nt1,a,x\nt1,b,x\nt2,a,y\nt2,b,y\n")
    out = tmp_path / "no" / "such" / "dir" / "out.csv"
    assert main(["labels", "aggregate", str(answers), "-o", str(out), *json_flag]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--output" in captured.err
    assert f"no directory {str(out.parent)!r}" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize("gold", ["task,label\nt998,cat\nt999,dog\n", "task,label\n0,cat\n1,dog\n"])
def test_min_gold_accuracy_with_no_gold_task_answered_is_refused(files, capsys, gold):
    # gold for tasks nobody answered is ignored; with none left there was no
    # gold accuracy, the check was skipped and the command passed (exit 0)
    path = files["dir"] / "other_gold.csv"
    path.write_text(gold)
    args = ["labels", "aggregate", files["answers"], *COLS, "--gold", str(path)]
    assert main([*args, "--min-gold-accuracy", "0.9"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--min-gold-accuracy cannot be checked" in captured.err
    assert str(path) in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert main(args) == 0  # without the check, the labels are still aggregated


@pytest.mark.parametrize(
    ("answers", "gold"),
    [
        # labels 1, 2 and x are text; the gold file's 1 and 2 were numbers, "unknown labels"
        ("task,worker,label\n1,a,1\n1,b,1\n2,a,2\n2,b,x\n3,a,2\n3,b,2\n", "task,label\n1,1\n3,2\n"),
        # task ids 1, x2 and 3 are text; the gold file's 1 and 3 were numbers, refused
        ("task,worker,label\n1,a,p\n1,b,p\nx2,a,q\nx2,b,q\n3,a,q\n3,b,p\n",
         "task,label\n1,p\n3,q\n"),
    ],
)
def test_gold_numbers_match_text_answers(tmp_path, capsys, answers, gold):
    # each file's column was typed on its own: numbers in the gold file never
    # equalled the same values written among text in the answers (exit 2)
    a, g = tmp_path / "a.csv", tmp_path / "g.csv"
    a.write_text(answers)
    g.write_text(gold)
    assert main(["labels", "aggregate", str(a), "--gold", str(g), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["n_gold"], doc["gold_accuracy"]) == (2, 1.0)
