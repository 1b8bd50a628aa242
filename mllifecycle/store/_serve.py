"""A small web endpoint for the label queue, and a minimal labelling page.

JSON API (Starlette, served by uvicorn; ``pip install 'mllifecycle[serve]'``):

- ``GET /api/next?worker=W&n_tasks=1&ttl=300``: lease up to ``n_tasks`` tasks to worker
  ``W``; ``{"tasks": [{"id", "item", "priority", "lease_expires", ...}]}``.
- ``POST /api/submit`` with ``{"task": id, "worker": W, "label": L}``:
  ``{"ok": true}``; 404 for an unknown task, 409 without the lease, 400 for
  bad input.
- ``GET /api/counts``: open, leased, answered and resolved tasks.
- ``GET /``: a page a person can label with (it calls the API above).

With ``token`` set, every ``/api`` call needs ``Authorization: Bearer
<token>``. The worker name is whatever the caller says: put the endpoint
behind your application's authentication when workers must not impersonate
each other. ``serve`` and ``add_arguments``/``run`` are what the
``mllifecycle labels serve`` command calls.
"""

from __future__ import annotations

import argparse
import hmac
import json
from typing import Any

__all__ = ["create_app", "serve", "add_arguments", "run"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Label queue</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
pre { background: #f4f4f4; padding: 1rem; white-space: pre-wrap; }
button { margin: 0.2rem; padding: 0.4rem 0.8rem; }
#status { color: #555; }
</style></head>
<body>
<h1>Label queue</h1>
<p><label>Your name <input id="worker" value="anonymous"></label>
<label>Token <input id="token" type="password"></label></p>
<p id="status">Press "Next" to get an item.</p>
<pre id="item"></pre>
<div id="choices"></div>
<p><input id="label" placeholder="label"> <button id="submit">Submit</button>
<button id="next">Next</button></p>
<script>
const CHOICES = __CHOICES__;
let task = null;
function headers() {
  const h = {"Content-Type": "application/json"};
  const t = document.getElementById("token").value;
  if (t) h["Authorization"] = "Bearer " + t;
  return h;
}
function status(text) { document.getElementById("status").textContent = text; }
async function next() {
  const w = encodeURIComponent(document.getElementById("worker").value);
  const r = await fetch("api/next?n_tasks=1&worker=" + w, {headers: headers()});
  const body = await r.json();
  if (!r.ok) { status(body.error); return; }
  if (body.tasks.length === 0) { task = null; status("Nothing left to label.");
    document.getElementById("item").textContent = ""; return; }
  task = body.tasks[0];
  document.getElementById("item").textContent = JSON.stringify(task.item, null, 2);
  status("Task " + task.id);
}
async function submit(label) {
  if (task === null) { status("No task leased."); return; }
  const worker = document.getElementById("worker").value;
  const r = await fetch("api/submit", {method: "POST", headers: headers(),
    body: JSON.stringify({task: task.id, worker: worker, label: label})});
  const body = await r.json();
  if (!r.ok) { status(body.error); return; }
  document.getElementById("label").value = "";
  await next();
}
for (const c of CHOICES) {
  const b = document.createElement("button");
  b.textContent = String(c);
  b.onclick = () => submit(c);
  document.getElementById("choices").appendChild(b);
}
document.getElementById("next").onclick = next;
document.getElementById("submit").onclick = () => {
  // an empty (or blank) box is no answer: the queue refuses it, so say so here
  const label = document.getElementById("label").value.trim();
  if (label === "") { status("Type a label (or press a label button) first."); return; }
  submit(label);
};
</script>
</body></html>
"""


def _deps() -> tuple[Any, Any]:
    try:
        import starlette
        import uvicorn
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the extra
        from mllifecycle.store._errors import StoreError

        raise StoreError(
            "the label endpoint needs Starlette and uvicorn: pip install 'mllifecycle[serve]'"
        ) from exc
    return starlette, uvicorn


def _choices(choices: Any, exists: Any = None) -> str:
    """Return the page's label buttons as JSON text: labels ``submit`` takes, of one kind.

    A string was offered letter by letter, NumPy numbers failed with a raw
    ``TypeError``, and ``NaN`` or ``None`` made buttons whose answers were refused.
    Text choices follow the queue's rules for text labels (``exists`` says
    whether the queue already holds one with surrounding whitespace).
    """
    from mllifecycle._validation import check_labels_of_one_kind, fail, label_kinds
    from mllifecycle.exceptions import InvalidParameterError
    from mllifecycle.store._queue import _encode_label

    caller = "create_app"
    if isinstance(choices, str | bytes) or not hasattr(choices, "__iter__"):
        fail("choices", "a sequence of labels", choices, caller)
    values = []
    for c in choices:
        if isinstance(c, str):
            # an empty, blank, padded or unencodable text: the queue's own message
            values.append(json.loads(_encode_label(c, caller, "choices", exists)))
            continue
        try:
            values.append(json.loads(_encode_label(c, caller)))
        except InvalidParameterError:
            fail("choices", "labels that are strings, integers, booleans or finite floats", c,
                 caller)
    # one kind, as the queue takes: True, 1 and "1" would be refused as answers
    check_labels_of_one_kind(list(label_kinds(values).values()), "choices", caller)
    return json.dumps(values)


def _first_answer(queue: Any) -> tuple[bool, Any]:
    """Return whether label queue ``queue`` holds an answer, and its first one."""
    with queue.store._read() as tx:
        row = tx.one(
            "SELECT a.label FROM label_answers a JOIN label_tasks t ON a.task_id = t.id "
            "WHERE t.queue = :q ORDER BY a.id LIMIT 1",
            {"q": queue.name},
        )
    return (False, None) if row is None else (True, json.loads(row[0]))


def _refuse_other_kind(queue: Any, values: list[Any]) -> None:
    """Refuse buttons of another kind than the queue's answers: every press would be refused.

    The queue takes answers of one kind (``submit``): on a queue answered
    with ``0`` and ``1``, buttons ``"0"`` and ``"1"`` were offered and each
    press answered 400, one worker at a time.
    """
    from mllifecycle._validation import described, fail, label_kind

    held, first = _first_answer(queue)
    if held and values and label_kind(values[0]) != label_kind(first):
        fail("choices", f"labels of the kind of the answers in label queue {queue.name!r} "
             f"({label_kind(first)}, such as {first!r}), which is all it takes",
             described(f"{label_kind(values[0])}: {values!r}"), "create_app")


def _choices_as_answered(queue: Any, texts: list[str]) -> list[Any]:
    """Read the command line's choices (text) as the queue's answers are: numbers, flags.

    ``--choices 0 1`` are the texts ``"0"`` and ``"1"``: on a queue answered
    with the numbers ``0`` and ``1`` (from Python), the page's buttons were
    refused at every press. Choices that all read as the queue's kind are
    passed so; otherwise as written (and refused if the kinds differ).
    """
    from mllifecycle._validation import label_kind

    held, first = _first_answer(queue)
    if not held or not texts:
        return texts
    kind = label_kind(first)
    if kind == "booleans" and all(t.lower() in ("true", "false") for t in texts):
        return [t.lower() == "true" for t in texts]
    if kind == "numbers":
        try:
            numbers = [json.loads(t) for t in texts]
        except ValueError:
            return texts
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
            return numbers
    return texts


def _check_token(token: Any) -> None:
    """Refuse a token no client can present in an ``Authorization`` header.

    An empty token locked every caller out through a real server (which
    strips the header's trailing space) while a direct ASGI call with
    ``"Bearer "`` passed; a space at either end is stripped likewise, control
    characters cannot be sent, and a non-ASCII token matched only clients
    that sent it as Latin-1 (the page's ``fetch`` refuses most such text).
    The secret itself is never echoed.
    """
    from mllifecycle._validation import described, fail

    if token is None:
        return
    if not isinstance(token, str):
        fail("token", "None or a string", described(f"a {type(token).__name__}"), "create_app")
    if not token or token != token.strip() or not all(" " <= ch <= "~" for ch in token):
        what = "an empty string" if not token else (
            f"a string of {len(token)} characters with a space at an end, a control or a "
            "non-ASCII character")
        fail("token", "None or a non-empty string of printable ASCII characters, without "
             "spaces at either end (what an HTTP Authorization header carries intact)",
             described(what), "create_app")


def create_app(
    store: Any,
    *,
    queue: str = "default",
    redundancy: int = 1,
    choices: Any = (),
    token: str | None = None,
) -> Any:
    """Build the Starlette application serving label queue ``queue`` of ``store``.

    Parameters
    ----------
    store : Store, path or URL
    queue : str, default "default"
    redundancy : int, default 1
        For the :class:`LabelQueue` the endpoint opens (tasks keep the
        redundancy they were enqueued with).
    choices : sequence, optional
        Labels offered as buttons on the page (strings, integers, booleans
        or finite floats, of one kind: that of the queue's answers, once it
        holds any, as :meth:`LabelQueue.submit` takes no other).
    token : str, optional
        Shared secret every ``/api`` call must present as a bearer token:
        printable ASCII (spaces inside only), as an HTTP header carries it.

    Returns
    -------
    starlette.applications.Starlette

    Examples
    --------
    >>> from mllifecycle.store import Store, create_app
    >>> app = create_app(Store(":memory:"), choices=["cat", "dog"])
    >>> [route.path for route in app.routes]
    ['/', '/api/next', '/api/submit', '/api/counts']
    """
    _deps()
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from mllifecycle.exceptions import InvalidParameterError
    from mllifecycle.store._errors import LeaseError, NotFoundError
    from mllifecycle.store._queue import LabelQueue

    _check_token(token)
    q = LabelQueue(store, queue, redundancy=redundancy)
    offered = _choices(choices, q._holds_label)
    _refuse_other_kind(q, json.loads(offered))
    # inside <script>, "<!--" and "<script" (not only "</") change how the page is
    # parsed: "<!--<script>" hid the closing tag and disabled the page; JSON's
    # \u escapes keep every choice's text and leave no markup in the script
    script_safe = (
        offered.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    page = _PAGE.replace("__CHOICES__", script_safe)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    def authorised(request: Request) -> bool:
        if token is None:
            return True
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())

    async def next_task(request: Request) -> Response:
        if not authorised(request):
            return error(401, "missing or wrong bearer token")
        params = request.query_params
        try:
            n_tasks = int(params.get("n_tasks", "1"))
            ttl = float(params.get("ttl", "300"))
        except ValueError:
            return error(400, "n_tasks must be an integer and ttl a number")
        try:
            tasks = await run_in_threadpool(q.lease, params.get("worker", ""), n_tasks, ttl)
        except InvalidParameterError as exc:
            return error(400, str(exc))
        return JSONResponse({"tasks": [t.to_dict() for t in tasks]})

    async def submit(request: Request) -> Response:
        if not authorised(request):
            return error(401, "missing or wrong bearer token")
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return error(400, "the body must be JSON: {task, worker, label}")
        if not isinstance(body, dict) or not {"task", "worker", "label"} <= set(body):
            return error(400, "the body must be a JSON object with task, worker and label")
        try:
            await run_in_threadpool(q.submit, body["task"], body["worker"], body["label"])
        except NotFoundError as exc:
            return error(404, str(exc))
        except LeaseError as exc:
            return error(409, str(exc))
        except InvalidParameterError as exc:
            return error(400, str(exc))
        return JSONResponse({"ok": True})

    async def counts(request: Request) -> Response:
        if not authorised(request):
            return error(401, "missing or wrong bearer token")
        return JSONResponse(await run_in_threadpool(q.counts))

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    return Starlette(
        routes=[
            Route("/", index),
            Route("/api/next", next_task),
            Route("/api/submit", submit, methods=["POST"]),
            Route("/api/counts", counts),
        ]
    )


def serve(
    store_url: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    queue: str = "default",
    choices: Any = (),
    token: str | None = None,
) -> None:
    """Serve label queue ``queue`` of the store at ``store_url`` until interrupted.

    Parameters
    ----------
    store_url : str
        A SQLite path or a database URL.
    host : str, default "127.0.0.1"
    port : int, default 8000
    queue : str, default "default"
    choices : sequence, optional
        Labels offered as buttons on the page.
    token : str, optional
        Shared secret the API requires (``Authorization: Bearer ...``).

    Examples
    --------
    >>> from mllifecycle.store import serve
    >>> serve("labels.db", port=8000)  # doctest: +SKIP
    """
    from mllifecycle._validation import check_int

    # checked before the server starts: 70000 was "unexpected OverflowError"
    # from the socket, after the application had been built
    port = check_int(port, "port", caller="serve", low=0, high=65535)
    _, uvicorn = _deps()
    app = create_app(store_url, queue=queue, choices=choices, token=token)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``mllifecycle labels serve`` to ``parser``."""
    parser.add_argument("--store", required=True, metavar="URL", help="SQLite path or DB URL")
    parser.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--queue", default="default", help="label queue name (default)")
    parser.add_argument(
        "--choices",
        nargs="*",
        default=[],
        help="labels offered as buttons (numbers or true/false when the queue's answers are)",
    )
    parser.add_argument(
        "--token", help="shared secret the API requires (Authorization: Bearer ...)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``mllifecycle labels serve``; return 0 when the server stops."""
    import os

    from mllifecycle._validation import described, fail
    from mllifecycle.store._db import sqlite_file

    # a typo must not create (and serve) a new, empty store; URL schemes are
    # case-insensitive, so SQLITE:///x.db names a file as sqlite:///x.db does
    path = sqlite_file(args.store, "mllifecycle labels serve", "store")
    if path is not None and not os.path.exists(os.path.expanduser(path)):
        fail("store", "an existing store file or a database URL", described(f"no file {path!r}"),
             "mllifecycle labels serve")
    choices = list(args.choices)
    if choices:
        from mllifecycle.store._queue import LabelQueue

        choices = _choices_as_answered(LabelQueue(args.store, args.queue), choices)
    serve(
        args.store,
        args.host,
        args.port,
        queue=args.queue,
        choices=choices,
        token=args.token,
    )
    return 0
