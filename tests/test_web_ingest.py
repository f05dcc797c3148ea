"""Tests of ingest over the web under real connections: readers never stop, clients that go away.

Most run the app on uvicorn (as ``dyad serve`` does) in a thread on a loopback port, and speak HTTP over
raw sockets, so that a test can send half a body, close a connection mid-upload, or see the answer
arrive before the body is sent. Nothing here times anything: each test waits for a state (an
extraction running, a file gone) and asserts what happened in what order.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import time
import warnings
from pathlib import Path

import pytest
import uvicorn

import dyad.kb as kb_module
from dyad.web import create_app
from dyad.web.ingest import uploads_dir
from dyad.web.serve import HTTP, LOOP

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx does the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TOKEN = "s3cret-token"
BOUNDARY = "dyadtestboundary"
#: How long a test waits for a state before it fails (a bound, not a measure).
PATIENCE = 60.0


def wait_for(condition, what):
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


class Live:
    """An app served by uvicorn in a thread, on a loopback port of its own."""

    def __init__(self, app):
        self.app = app
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", loop=LOOP, http=HTTP)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        wait_for(lambda: self.server.started, "the server to start")
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(PATIENCE)
        self.sock.close()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.settimeout(PATIENCE)
        return s

    def get(self, path, method="GET"):
        with self.connect() as s:
            s.sendall(f"{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
            return read_response(s)


def read_response(s):
    """Status, headers (lower-case names) and body of the response on socket ``s``, read to its end."""
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def multipart(*parts):
    """A multipart body of (name, filename or None, bytes) parts, in order."""
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def request_head(path, length, *, token=TOKEN):
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: t\r\n{auth}Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def big_article(mb: float) -> bytes:
    """The Belgium–Syria example, its body repeated to about ``mb`` megabytes: seconds to extract."""
    text = (EXAMPLES / "belgium-syria-relations.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    times = max(1, int(mb * 1_000_000 / len(body.encode())))
    return (title + "\n" + body * times).encode()


@pytest.fixture
def kb_path(tmp_path):
    path = tmp_path / "web.duckdb"
    with kb_module.open(path) as kb:
        assert kb.ingest([EXAMPLES / "japan-peru-relations.txt"]).ok
    return path


@pytest.fixture
def live(kb_path):
    with Live(create_app(kb_path, allow_ingest=True, token=TOKEN)) as server:
        yield server


def leftovers(kb_path):
    folder = uploads_dir(kb_path)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def server_log(caplog):
    caplog.set_level(logging.WARNING)
    return caplog


def assert_quiet(log):
    """Nothing logged as an error, and no traceback."""
    bad = [r for r in log.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


# -- readers go on --


def test_web_ingest_pair_api_answers_while_an_upload_is_extracted(live, kb_path):
    data = big_article(3.0)
    body = multipart(("file", "big.txt", data))
    answer = {}

    def send():
        with live.connect() as s:
            s.sendall(request_head("/api/sources", len(body)) + body)
            answer["status"] = read_response(s)[0]

    uploader = threading.Thread(target=send)
    uploader.start()
    extractor = live.app.state.extractor
    wait_for(lambda: extractor.running == 1, "the extraction to start")
    # While the article is being extracted, the API answers, and the extraction is still running after.
    status, _, reply = live.get("/api/pairs/JPN/PER?at=2000")
    assert status == 200 and b'"relations"' in reply
    assert extractor.running == 1 and uploader.is_alive()
    uploader.join(PATIENCE)
    assert answer == {"status": 201}
    status, _, reply = live.get("/api/pairs/BEL/SYR?at=2013")
    assert status == 200 and b"Damascus" in reply


def test_web_ingest_write_does_not_wait_for_a_read_in_flight(kb_path):
    data = (EXAMPLES / "belgium-syria-relations.txt").read_bytes()
    with TestClient(create_app(kb_path, allow_ingest=True, token=TOKEN)) as client:
        pool = client.app.state.pool
        with pool.read() as kb:  # a request in flight, reading
            before = kb.store.counts()["sources"]
            done = client.post(
                "/api/sources",
                files={"file": ("a.txt", data, "text/plain")},
                headers={"authorization": f"Bearer {TOKEN}"},
            )
            assert done.status_code == 201  # written while the read is still open
            assert kb.store.counts()["sources"] == before == 1  # the read goes on seeing what it saw
        assert client.get("/api/sources").json()["total"] == 2
        assert "Damascus" in client.get("/api/pairs/BEL/SYR?at=2013").text


def test_web_ingest_versions_leave_no_files_behind(kb_path):
    with TestClient(create_app(kb_path, allow_ingest=True, token=TOKEN)) as client:
        for name in ("belgium-syria-relations.txt", "holy-see-israel-relations.txt"):
            data = (EXAMPLES / name).read_bytes()
            files = {"file": (name, data, "text/plain")}
            response = client.post("/api/sources", files=files, headers={"authorization": f"Bearer {TOKEN}"})
            assert response.status_code == 201
            assert client.get("/api/pairs").status_code == 200  # read the new version: the old one goes
        around = sorted(p.name for p in kb_path.parent.iterdir() if p.name.startswith(".web.duckdb"))
        assert [n.split("-")[0] for n in around] == [".web.duckdb.lock", ".web.duckdb.read"]
    assert sorted(p.name for p in kb_path.parent.iterdir() if p.name.startswith(".web.duckdb")) == [
        ".web.duckdb.lock"
    ]


# -- uploads at once --


def test_web_ingest_identical_uploads_at_once_never_race(kb_path):
    data = (EXAMPLES / "belgium-syria-relations.txt").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    statuses = []
    with TestClient(create_app(kb_path, allow_ingest=True, token=TOKEN)) as client:

        def upload():
            files = {"file": ("same.txt", data, "text/plain")}
            r = client.post("/api/sources", files=files, headers={"authorization": f"Bearer {TOKEN}"})
            statuses.append((r.status_code, r.json().get("status")))

        threads = [threading.Thread(target=upload) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(PATIENCE)
        assert sorted(statuses) == [(200, "unchanged")] * 11 + [(201, "added")]
        assert leftovers(kb_path) == [f"{sha}.txt"]
        assert client.get("/api/sources").json()["total"] == 2


# -- clients that go away --


def test_web_ingest_client_gone_mid_body_leaves_no_file(live, kb_path, server_log):
    data = big_article(1.0)
    body = multipart(("file", "half.txt", data))
    with live.connect() as s:
        s.sendall(request_head("/api/sources", len(body)) + body[: len(body) // 2])
        wait_for(lambda: any(n.endswith(".part") for n in leftovers(kb_path)), "the part file")
    wait_for(lambda: leftovers(kb_path) == [], "the part file to go")
    assert live.get("/api/sources")[0] == 200
    assert_quiet(server_log)


def test_web_ingest_client_gone_during_extraction_cancels_it(live, kb_path, server_log):
    data = big_article(4.0)
    body = multipart(("file", "gone.txt", data))
    extractor = live.app.state.extractor
    with live.connect() as s:
        s.sendall(request_head("/api/sources", len(body)) + body)
        wait_for(lambda: extractor.running == 1, "the extraction to start")
    wait_for(lambda: extractor.cancelled == 1 and extractor.running == 0, "the extraction to be cancelled")
    wait_for(lambda: leftovers(kb_path) == [], "the part file to go")
    status, _, reply = live.get("/api/sources")
    assert status == 200 and b'"total":1' in reply  # the example only: nothing of the upload
    assert_quiet(server_log)


# -- the token before the body --


def test_web_ingest_wrong_token_is_refused_before_the_body_is_sent(live, kb_path):
    with live.connect() as s:
        s.sendall(request_head("/api/sources", 5_000_000, token="wrong"))  # and none of the body
        status, headers, reply = read_response(s)
    assert (status, headers["www-authenticate"]) == (401, "Bearer")
    assert b'"code":"unauthorized"' in reply
    assert leftovers(kb_path) == []


def test_web_ingest_form_checks_its_token_before_the_file(live, kb_path):
    start = multipart(("token", None, b"wrong"), ("file", "a.txt", b""))
    start = start[: start.index(b'name="file"')]  # the token, then the file's part just begun
    with live.connect() as s:
        s.sendall(request_head("/ingest", 5_000_000, token=None) + start)
        status, _, reply = read_response(s)  # answered with 5 MB of the body never sent
    assert status == 401 and b"a valid ingest token is needed" in reply
    assert leftovers(kb_path) == []


def test_web_ingest_form_wants_the_token_first(live, kb_path):
    data = (EXAMPLES / "belgium-syria-relations.txt").read_bytes()
    body = multipart(("file", "a.txt", data), ("token", None, TOKEN.encode()))
    with live.connect() as s:
        s.sendall(request_head("/ingest", len(body), token=None) + body)
        status, _, reply = read_response(s)
    assert status == 401 and b"a valid ingest token is needed, before the file" in reply, reply[
        reply.find(b"alert") :
    ][:200]
    assert leftovers(kb_path) == []


# -- methods over real HTTP --


def test_web_unknown_method_gets_the_json_error_shape(live):
    status, headers, reply = live.get("/api/pairs", method="BREW")
    assert (status, headers["allow"], headers["content-type"]) == (405, "GET, HEAD", "application/json")
    assert json.loads(reply) == {
        "error": {"status": 405, "code": "method_not_allowed", "message": "BREW is not allowed on /api/pairs"}
    }


# -- serving --


def test_web_serve_refuses_a_port_in_use_before_saying_it_serves(kb_path):
    from dyad.errors import DyadError
    from dyad.web.serve import run

    said = []
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(DyadError, match=rf"127.0.0.1:{port}: cannot serve there \(the port is in use"):
            run(kb_path, host="127.0.0.1", port=port, ready=said.append)
    assert said == []
