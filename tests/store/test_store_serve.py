"""The label endpoint over real HTTP on loopback (uvicorn in a thread)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from mllifecycle.store import LabelQueue, Store

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")


@pytest.fixture
def server(tmp_path):
    from mllifecycle.store._serve import create_app

    url = str(tmp_path / "labels.db")
    LabelQueue(Store(url)).enqueue([{"text": "great"}, {"text": "awful"}], priority=[0.1, 0.9])

    def start(**kwargs):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        app = create_app(url, **kwargs)
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not srv.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        servers.append((srv, thread))
        return f"http://127.0.0.1:{port}", url

    servers = []
    yield start
    for srv, thread in servers:
        srv.should_exit = True
        thread.join(timeout=10)


def call(base, path, body=None, headers=None, method=None):
    data = (
        None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    )
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_lease_submit_and_counts_over_http(server):
    base, url = server()
    status, body = call(base, "/api/next?worker=ann&n_tasks=1&ttl=60")
    assert status == 200
    [task] = json.loads(body)["tasks"]
    assert task["item"] == {"text": "awful"}  # highest priority first
    status, body = call(base, "/api/next?worker=bob&n_tasks=5")
    assert [t["item"] for t in json.loads(body)["tasks"]] == [{"text": "great"}]
    assert call(base, "/api/submit", {"task": task["id"], "worker": "ann", "label": "neg"}) == (
        200,
        '{"ok":true}',
    )
    status, body = call(base, "/api/counts")
    assert json.loads(body) == {"open": 0, "leased": 1, "answered": 1, "resolved": 0}
    assert LabelQueue(Store(url)).answers()[0]["label"] == "neg"


@pytest.mark.parametrize(
    ("body", "status", "match"),
    [
        ({"task": 999, "worker": "ann", "label": 1}, 404, "no task 999"),
        ({"task": 1, "worker": "mallory", "label": 1}, 409, "not leased"),
        ({"task": 1, "worker": "ann"}, 400, "task, worker and label"),
        ({"task": 1, "worker": "ann", "label": [1]}, 400, "'label' parameter"),
        ({"task": "x", "worker": "ann", "label": 1}, 400, "'task' parameter"),
        (b"{not json", 400, "must be JSON"),
    ],
)
def test_bad_submissions_are_refused(server, body, status, match):
    base, url = server()
    got_status, got = call(base, "/api/submit", body)
    assert got_status == status
    assert match in json.loads(got)["error"]
    assert LabelQueue(Store(url)).answers() == []


def test_bad_lease_requests(server):
    base, _ = server()
    assert call(base, "/api/next?worker=")[0] == 400
    assert call(base, "/api/next?worker=ann&n_tasks=zero")[0] == 400
    assert call(base, "/api/next?worker=ann&n_tasks=0")[0] == 400


def test_token_is_required_when_set(server):
    base, _ = server(token="s3cret")
    assert call(base, "/api/next?worker=ann")[0] == 401
    assert call(base, "/api/counts", headers={"Authorization": "Bearer wrong"})[0] == 401
    status, body = call(base, "/api/next?worker=ann", headers={"Authorization": "Bearer s3cret"})
    assert status == 200
    assert len(json.loads(body)["tasks"]) == 1


def test_labelling_page(server):
    base, _ = server(choices=["pos", "neg", "</script>"])
    status, page = call(base, "/")
    assert status == 200
    assert "<title>Label queue</title>" in page
    # cannot close the script element (written with JSON's \u escapes)
    assert '["pos", "neg", "\\u003c/script\\u003e"]' in page
    assert page.count("</script>") == 1
