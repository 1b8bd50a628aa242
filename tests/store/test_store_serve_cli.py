"""`mllifecycle labels serve` starts the labelling endpoint for real, over HTTP on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from mllifecycle.store import LabelQueue, Store

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_labels_serve_command_answers_over_http(tmp_path):
    path = str(tmp_path / "store.db")
    LabelQueue(Store(path)).enqueue(["first item"])
    port = _free_port()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [sys.executable, "-m", "mllifecycle", "labels", "serve", "--store", path,
         "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 30
        body = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/counts", timeout=2) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail((tmp_path / "server.log").read_text())
                time.sleep(0.2)
        assert body is not None, "the server did not answer within 30 s"
        assert sum(v for v in body.values() if isinstance(v, int)) >= 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.mark.parametrize("prefix", ["", "sqlite:///"])
def test_labels_serve_refuses_a_store_file_that_does_not_exist(tmp_path, capsys, monkeypatch,
                                                               prefix):
    # a typo in --store created a new, empty store and served its empty queue
    # (registry refuses such a path)
    import uvicorn

    from mllifecycle.cli import main

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(app))
    path = tmp_path / "typo.db"
    assert main(["labels", "serve", "--store", prefix + str(path)]) == 2
    err = capsys.readouterr().err
    assert "'store'" in err
    assert "no file" in err
    assert len(err.strip().splitlines()) == 1
    assert not path.exists()
    assert served == []
    Store(str(tmp_path / "real.db")).close()
    assert main(["labels", "serve", "--store", prefix + str(tmp_path / "real.db")]) == 0
    assert len(served) == 1
