"""``mllifecycle labels aggregate`` keeps zero-padded ids as written, never merged."""

from __future__ import annotations

import gzip
import json

import pytest

from mllifecycle.cli import main

ROWS = [("001", "w1", "a"), ("001", "w2", "a"), ("001", "w3", "a"),
        ("1", "w4", "b"), ("1", "w5", "b"), ("1", "w6", "b"),
        ("002", "w1", "b"), ("002", "w2", "b"), ("002", "w3", "a")]


def _csv(rows, sep=","):
    return "".join(sep.join(r) + "\n" for r in [("task", "worker", "label"), *rows])


def _out(capsys):
    lines = capsys.readouterr().out.strip().splitlines()
    return {line.split(",")[0]: line.split(",")[1] for line in lines[1:]}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "csv.gz", "json", "jsonl", "semicolon"])
def test_zero_padded_task_ids_are_kept_and_not_merged(tmp_path, capsys, fmt):
    # '001' was read as the number 1: printed as '1' and merged with task '1'
    # (six answers, three per label: a coin toss for one task instead of two sure ones)
    path = tmp_path / f"answers.{'csv' if fmt == 'semicolon' else fmt}"
    records = [dict(zip(("task", "worker", "label"), r, strict=True)) for r in ROWS]
    if fmt == "csv":
        path.write_text(_csv(ROWS))
    elif fmt == "semicolon":
        path.write_text(_csv(ROWS, ";"))
    elif fmt == "tsv":
        path.write_text(_csv(ROWS, "\t"))
    elif fmt == "csv.gz":
        path.write_bytes(gzip.compress(_csv(ROWS).encode()))
    elif fmt == "json":
        path.write_text(json.dumps(records))
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert main(["labels", "aggregate", str(path), "--method", "majority-vote"]) == 0
    out = _out(capsys)
    assert out == {"001": "a", "002": "b", "1": "b"}


def test_zero_padded_worker_ids_are_not_merged(tmp_path, capsys):
    # workers '07' and '7' were one worker: refused as duplicate answers (or, with
    # --duplicates keep, one worker's two answers)
    path = tmp_path / "a.csv"
    path.write_text(_csv([("t1", "07", "a"), ("t1", "7", "a"), ("t2", "07", "b"),
                          ("t2", "7", "b")]))
    assert main(["labels", "aggregate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(w["worker"] for w in out["workers"]) == ["07", "7"]
    assert out["n_workers"] == 2


def test_gold_zero_padded_tasks_match_as_written(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text(_csv(ROWS))
    gold = tmp_path / "g.csv"
    gold.write_text("task,label\n001,a\n")
    assert main(["labels", "aggregate", str(path), "--gold", str(gold), "--json",
                 "--method", "majority-vote"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_gold"] == 1
    assert out["gold_accuracy"] == 1.0
    assert {t["task"] for t in out["tasks"]} == {"001", "002", "1"}


def test_plain_integer_ids_stay_numbers(tmp_path, capsys):
    # no zero padding: numbers as before (sorted as numbers: 2 before 10)
    path = tmp_path / "a.csv"
    path.write_text(_csv([("10", "w1", "a"), ("10", "w2", "a"), ("2", "w1", "b"),
                          ("2", "w2", "b")]))
    assert main(["labels", "aggregate", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [ln.split(",")[0] for ln in lines[1:]] == ["2", "10"]


def test_date_task_ids_are_printed_as_written(tmp_path, capsys):
    # read as datetimes, '2024-01-05' was printed '2024-01-05T00:00:00.000000'
    path = tmp_path / "a.csv"
    path.write_text(_csv([("2024-01-05", "w1", "a"), ("2024-01-05", "w2", "a"),
                          ("2024-01-06", "w1", "b"), ("2024-01-06", "w2", "b")]))
    gold = tmp_path / "g.csv"
    gold.write_text("task,label\n2024-01-06,b\n")
    assert main(["labels", "aggregate", str(path), "--gold", str(gold),
                 "--min-gold-accuracy", "1"]) == 0
    assert _out(capsys) == {"2024-01-05": "a", "2024-01-06": "b"}


def test_a_second_header_row_is_refused(tmp_path, capsys):
    # 'id,id,class' under the header was an answer: a task 'id' in the output (exit 0)
    path = tmp_path / "a.csv"
    path.write_text("task,worker,label\nid,id,class\n1,w1,a\n1,w2,a\n2,w1,b\n2,w2,b\n")
    assert main(["labels", "aggregate", str(path)]) == 2
    assert "the first answer's 'id' (column 'task') sits above numbers, like a second header " \
        "row" in capsys.readouterr().err
