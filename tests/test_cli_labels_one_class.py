"""`labels aggregate` on answers of one class does not point to an option it lacks.

The library's message said "(or pass classes=)"; the command has no such
option: it reads the classes from the answers.
"""

from __future__ import annotations

from mllifecycle.cli import main


def test_one_class_names_the_answers_file(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("task,worker,label\n1,a,x\n1,b,x\n2,a,x\n")
    assert main(["labels", "aggregate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "at least 2 distinct classes (the command reads the classes from the answers in" in err
    assert "classes=" not in err
