"""Hunt: text the label queue stored although it is no answer, or cannot be read back.

An empty label (the labelling page's Submit with an empty box) and a blank one
were recorded as answers and won votes; ``"cat "`` beside ``"cat"`` split a
vote; a lone surrogate in a label or an item was stored as a JSON escape and
read back as a string no UTF-8 text can carry (the endpoint's JSON answer,
an export, a print failed later). All are refused where they enter, on both
backends, and the page no longer submits an empty box.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Store


def _queue(url, redundancy=1):
    queue = LabelQueue(Store(url), "q", redundancy=redundancy)
    queue.enqueue(["a", "b"])
    return queue


@pytest.mark.parametrize("label", ["", " ", "\t\n", "\u3000", "\xa0"])
def test_an_empty_or_blank_label_is_refused_and_the_lease_kept(store_url, label):
    queue = _queue(store_url)
    [task] = queue.lease("ann")
    with pytest.raises(InvalidParameterError,
                       match=r"'label' parameter of submit must be a non-empty label"):
        queue.submit(task, "ann", label)
    assert queue.answers() == []
    queue.submit(task, "ann", "cat")  # the lease survived the refusal
    assert queue.resolve() == 1
    assert [r["label"] for r in queue.export()] == ["cat"]


@pytest.mark.parametrize("label", ["\ud800", "cat\udfff", "a\ud83d\ude00"])
def test_a_label_with_a_surrogate_is_refused(store_url, label):
    queue = _queue(store_url)
    [task] = queue.lease("ann")
    with pytest.raises(InvalidParameterError, match=r"'label' parameter of submit.*surrogates"):
        queue.submit(task, "ann", label)
    assert queue.answers() == []


def test_astral_characters_are_labels(store_url):
    queue = _queue(store_url)
    [task] = queue.lease("ann")
    queue.submit(task, "ann", "cat \U0001f600")
    assert queue.answers()[0]["label"] == "cat \U0001f600"


@pytest.mark.parametrize("label", ["cat ", " cat", "cat\n"])
def test_a_padded_label_is_refused_rather_than_splitting_the_vote(store_url, label):
    queue = _queue(store_url, redundancy=3)
    for worker in ("ann", "bob"):
        [task] = queue.lease(worker)
        queue.submit(task, worker, "dog" if worker == "ann" else "cat")
    [task] = queue.lease("cy")
    with pytest.raises(InvalidParameterError, match=r"did you mean 'cat'\?"):
        queue.submit(task, "cy", label)
    queue.submit(task, "cy", "cat")
    assert queue.resolve() == 1
    [row] = queue.export()
    assert (row["label"], row["confidence"]) == ("cat", pytest.approx(2 / 3))


def test_a_padded_label_the_queue_already_holds_is_still_taken(sqlite_url):
    queue = _queue(sqlite_url, redundancy=2)
    [task] = queue.lease("ann")
    queue.submit(task, "ann", "cat")
    with queue.store._write() as tx:  # as an earlier release wrote it
        tx.execute("UPDATE label_answers SET label = :l", {"l": json.dumps("cat ")})
    [task] = queue.lease("bob")
    queue.submit(task, "bob", "cat ")
    assert [a["label"] for a in queue.answers()] == ["cat ", "cat "]


@pytest.mark.parametrize("items", [["\ud800"], [{"\udc00": 1}], [{"k": ["x\ud800"]}]])
def test_an_item_with_a_surrogate_is_refused_and_nothing_enqueued(store_url, items):
    queue = LabelQueue(Store(store_url), "q")
    with pytest.raises(InvalidParameterError, match=r"'items' parameter of enqueue.*surrogates"):
        queue.enqueue(["fine", *items])
    assert queue.counts() == {"open": 0, "leased": 0, "answered": 0, "resolved": 0}


def test_an_item_holding_backslash_u_text_is_kept(store_url):
    queue = LabelQueue(Store(store_url), "q")
    queue.enqueue(["\\ud800", {"\\udc00": "\U0001f600"}])
    assert [t.item for t in queue.lease("ann", n_tasks=2)] == [
        "\\ud800", {"\\udc00": "\U0001f600"}]




@pytest.mark.parametrize("label", ['""', '"   "', '"\\ud800"', '"cat "'])
def test_the_endpoint_refuses_such_labels_with_400(asgi, tmp_path, label):
    pytest.importorskip("starlette")
    from mllifecycle.store import create_app

    url = str(tmp_path / "labels.db")
    LabelQueue(Store(url)).enqueue(["a"])
    app = create_app(url)
    status, text = asgi(app, "GET", "/api/next?worker=ann")
    [task] = json.loads(text)["tasks"]
    body = f'{{"task": {task["id"]}, "worker": "ann", "label": {label}}}'.encode()
    status, text = asgi(app, "POST", "/api/submit", body)
    assert status == 400
    assert "'label' parameter of submit" in json.loads(text)["error"]
    assert LabelQueue(Store(url)).answers() == []


@pytest.mark.parametrize(
    ("choices", "match"),
    [
        (["cat", ""], r"'choices' parameter of create_app must be a non-empty label"),
        (["cat", "  "], r"'choices' parameter of create_app must be a non-empty label"),
        (["cat", "dog "], r"'choices'.*did you mean 'dog'"),
        (["cat", "\ud800"], r"'choices'.*surrogates"),
    ],
)
def test_choices_the_queue_would_refuse_are_refused(choices, match):
    pytest.importorskip("starlette")
    from mllifecycle.store import create_app

    with pytest.raises(InvalidParameterError, match=match):
        create_app(Store(":memory:"), choices=choices)


_DOM = """
const elements = {};
function el(id) {
  if (!elements[id]) elements[id] = {id, value: "", textContent: "", onclick: null,
    appendChild() {}};
  return elements[id];
}
const document = {getElementById: el, createElement: () => el("button" + Math.random())};
const posted = [];
async function fetch(url, opts) {
  if (url.startsWith("api/next")) return {ok: true, json: async () => (
    {tasks: posted.length ? [] : [{id: 1, item: "a"}]})};
  posted.push(JSON.parse(opts.body));
  return {ok: true, json: async () => ({ok: true})};
}
"""

_DRIVE = """
(async () => {
  el("worker").value = "ann";
  await el("next").onclick();
  for (const typed of %s) {
    el("label").value = typed;
    await el("submit").onclick();
    await new Promise(r => setTimeout(r, 0));
  }
  console.log(JSON.stringify({posted, status: el("status").textContent,
                              box: el("label").value}));
})();
"""


@pytest.mark.parametrize(
    ("typed", "posted"),
    [(["", "  \t"], []), (["  cat "], ["cat"]), (["", "dog"], ["dog"])],
)
def test_the_page_does_not_submit_an_empty_box(typed, posted):
    """The page's script, run by Node with a stub DOM: an empty box posts nothing."""
    pytest.importorskip("starlette")
    node = shutil.which("node")
    if node is None:
        pytest.skip("the page's script is run with Node.js, which is not installed")
    from mllifecycle.store import _serve

    script = _serve._PAGE.split("<script>", 1)[1].split("</script>", 1)[0]
    script = script.replace("__CHOICES__", "[]")
    program = _DOM + script + _DRIVE % json.dumps(typed)
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert [p["label"] for p in result["posted"]] == posted
    if not posted:
        assert "Type a label" in result["status"]
    else:
        assert result["box"] == ""  # cleared: the next item does not inherit the answer


@pytest.mark.parametrize("token", ["", " s3cret", "s3cret ", "s3cret\n", "s3\tcret", "s3cr\xe9t"])
def test_a_token_no_header_carries_intact_is_refused_without_echoing_it(token):
    # "" locked every caller out through a real server (the header's trailing
    # space is stripped) and let a raw ASGI call with "Bearer " in
    pytest.importorskip("starlette")
    from mllifecycle.store import create_app

    with pytest.raises(InvalidParameterError, match=r"'token' parameter of create_app") as info:
        create_app(Store(":memory:"), token=token)
    if token:
        assert "s3" not in str(info.value)


def test_a_printable_ascii_token_is_required_by_the_api(asgi):
    pytest.importorskip("starlette")
    from mllifecycle.store import create_app

    app = create_app(Store(":memory:"), token="s3cr et_~!")
    assert asgi(app, "GET", "/api/counts")[0] == 401
    bearer = [(b"authorization", b"Bearer s3cr et_~!")]
    assert asgi(app, "GET", "/api/counts", headers=bearer)[0] == 200


@pytest.mark.parametrize("method", ["majority", "dawid_skene"])
def test_a_text_typed_precomposed_or_decomposed_is_one_label_to_the_vote(store_url, method):
    # 3 of 5 workers answered "café" (two typed it with a combining accent):
    # the vote split it in two and "tea" won at 0.4
    queue = LabelQueue(Store(store_url), "q", redundancy=5)
    queue.enqueue(["a"])
    answers = [("ann", "tea"), ("bob", "cafe\u0301"), ("cy", "caf\xe9"), ("dan", "tea"),
               ("eve", "caf\xe9")]
    for worker, label in answers:
        [task] = queue.lease(worker)
        queue.submit(task, worker, label)
    assert queue.resolve(method) == 1
    [row] = queue.export()
    assert row["label"] == "cafe\u0301"  # as the queue's first answer of that value wrote it
    if method == "majority":
        assert row["confidence"] == pytest.approx(0.6)
    assert [a["label"] for a in queue.answers()] == [lab for _, lab in answers]  # as written


@pytest.mark.parametrize("port", [70000, -5])
def test_labels_serve_refuses_a_port_out_of_range_by_name(tmp_path, capsys, port):
    # the socket's OverflowError came out as "unexpected OverflowError" (exit 2)
    # after a CancelledError traceback
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    from mllifecycle.cli import main

    db = str(tmp_path / "s.db")
    Store(db).close()
    assert main(["labels", "serve", "--store", db, "--port", str(port)]) == 2
    [err] = capsys.readouterr().err.strip().splitlines()
    assert "'port' parameter of serve must be an int in the range [0, 65535]" in err
