"""The labelling page offers buttons of the kind of the queue's answers.

A label queue takes answers of one kind. On a queue answered with the numbers
0 and 1 (from Python), ``mllifecycle labels serve --choices 0 1`` offered the
texts "0" and "1", and every press of a button was refused (400), one worker
at a time; ``create_app`` with such choices did the same.
"""

from __future__ import annotations

import json

import pytest

from mllifecycle.cli import main
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Store

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


def _answered(path, label):
    queue = LabelQueue(Store(path))
    queue.enqueue(["first", "second"])
    [task] = queue.lease("ann")
    queue.submit(task, "ann", label)
    return queue


@pytest.mark.parametrize(
    ("answered", "given", "offered"),
    [
        pytest.param(1, ["0", "1"], [0, 1], id="numbers"),
        pytest.param(0.5, ["0.5", "1.5"], [0.5, 1.5], id="floats"),
        pytest.param(True, ["True", "false"], [True, False], id="flags"),
        pytest.param("cat", ["0", "1"], ["0", "1"], id="text-queue-keeps-text"),
    ],
)
def test_command_line_choices_are_read_as_the_queue_answers(
    tmp_path, monkeypatch, asgi, answered, given, offered
):
    import mllifecycle.store._serve as serve_module

    path = str(tmp_path / "labels.db")
    _answered(path, answered)
    seen = {}
    monkeypatch.setattr(serve_module, "serve", lambda *args, **kwargs: seen.update(kwargs))
    assert main(["labels", "serve", "--store", path, "--choices", *given]) == 0
    assert seen["choices"] == offered
    assert [type(v) for v in seen["choices"]] == [type(v) for v in offered]
    # a press of the first button is an answer the queue takes
    app = serve_module.create_app(path, choices=seen["choices"])
    status, body = asgi(app, "GET", "/api/next?worker=bob")
    assert status == 200
    task = json.loads(body)["tasks"][0]["id"]
    payload = json.dumps({"task": task, "worker": "bob", "label": offered[0]}).encode()
    assert asgi(app, "POST", "/api/submit", body=payload) == (200, '{"ok":true}')


def test_choices_of_another_kind_than_the_answers_are_refused(tmp_path):
    from mllifecycle.store import create_app

    path = str(tmp_path / "labels.db")
    _answered(path, 1)
    with pytest.raises(
        InvalidParameterError, match=r"'choices'.*kind of the answers.*numbers, such as 1.*text"
    ):
        create_app(path, choices=["0", "1"])
    create_app(path, choices=[0, 1])  # numbers, as answered
    create_app(str(tmp_path / "fresh.db"), choices=["0", "1"])  # no answer yet: any kind
