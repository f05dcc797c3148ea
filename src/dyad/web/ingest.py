"""Ingest over the web: off unless the server was started with ``--allow-ingest`` and a token.

``POST /api/sources`` takes one article as the multipart field ``file`` with ``Authorization: Bearer
<token>``; the page ``/ingest`` has a form doing the same with the token as a field before the file.
The body must declare its length, and the article may be at most the app's ``max_upload_bytes``.

An upload goes through exactly what ``dyad ingest`` does (the same reader, the same bad-input rules),
in three steps, none of which stops the server's readers:

1. its body is streamed to a part file of its own in ``<db>-uploads/`` (:mod:`dyad.web.upload`), the
   token checked before the article's bytes are read;
2. unless the same bytes are stored already (``unchanged``), it is extracted in a child process
   (:mod:`dyad.web.extractor`), while the request watches its connection: a client that goes away
   has its extraction killed and its part file removed, and nothing is logged as an error;
3. the documents are written (:meth:`dyad.web.pool.ReadPool.write`: a copy of the knowledge base,
   renamed in place) with the part file renamed ``<sha256>.txt``: the content's digest, so nothing the
   client sends reaches a file path. This step runs to its end once begun.

An article that cannot be read is not kept, and the error names the upload as the client named it.
``DELETE /api/sources/{id}``, behind the same switch and token, deletes a source and its facts.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from dyad.errors import InputError
from dyad.pipeline import Extracted
from dyad.web import upload as up
from dyad.web.extractor import Extractor
from dyad.web.pool import ReadPool
from dyad.web.shapes import JSON
from dyad.web.upload import ClientGone, Refused, Upload

__all__ = ["GONE", "ClientGone", "Refused", "Settings", "ingest_upload", "router", "uploads_dir"]

#: The status answered (to no one) when the client went away: nginx's "client closed request".
GONE = 499

router = APIRouter()

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    allowed: bool
    token: str | None
    max_bytes: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What ingest did with one upload."""

    name: str
    status: str
    facts: int
    source: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.name, "status": self.status, "facts": self.facts, "source": self.source}


def uploads_dir(db: Path) -> Path:
    """Where uploaded articles are kept: a folder beside the knowledge base file."""
    return db.with_name(db.stem + "-uploads")


def settings_of(request: Request) -> Settings:
    return request.app.state.ingest  # type: ignore[no-any-return]


def check_allowed(request: Request) -> Settings:
    settings = settings_of(request)
    if not settings.allowed:
        raise Refused(
            403, "ingest_disabled", "ingest over the web is off; start dyad serve with --allow-ingest"
        )
    return settings


def check_token(settings: Settings, given: str | None) -> None:
    import secrets

    expected = (settings.token or "").encode()
    if not given or not expected or not secrets.compare_digest(given.encode(), expected):
        raise Refused(401, "unauthorized", "a valid ingest token is needed")


def bearer(request: Request) -> str | None:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else None


async def receive_upload(request: Request, settings: Settings, *, form_token: bool) -> Upload:
    """The upload's body, streamed to its part file; with ``form_token`` the token is the form's."""
    folder = uploads_dir(request.app.state.pool.path)
    token = (lambda given: check_token(settings, given)) if form_token else None
    return await up.receive(request, folder, settings.max_bytes, token=token)


async def until_gone(request: Request, work: Callable[[], Awaitable[T]]) -> T:
    """``await work()``, cancelled (raising :class:`ClientGone`) if the client closes the connection.

    Called once the body is read: the next message the server sends the app is then the disconnect.
    """
    result: list[T] = []
    failed: list[BaseException] = []
    gone = False

    async with anyio.create_task_group() as tasks:

        async def watch() -> None:
            nonlocal gone
            while (await request.receive())["type"] != "http.disconnect":
                pass
            gone = True
            tasks.cancel_scope.cancel()

        async def run() -> None:
            try:
                result.append(await work())
            except Exception as e:  # raised below as it is, not in an exception group
                failed.append(e)
            tasks.cancel_scope.cancel()

        tasks.start_soon(watch)
        tasks.start_soon(run)
    if failed:
        raise failed[0]
    if gone or not result:
        raise ClientGone
    return result[0]


async def ingest_upload(request: Request, upload: Upload) -> Outcome:
    """Extract and store an upload (module doc); its part file is gone when this returns or raises."""
    pool: ReadPool = request.app.state.pool
    extractor: Extractor = request.app.state.extractor
    final = uploads_dir(pool.path) / f"{upload.sha256}.txt"
    try:
        known = await run_in_threadpool(_stored, pool, final, upload.sha256)
        if known is not None:
            return Outcome(upload.name, "unchanged", known.facts, _source_json(known, final))
        items = await until_gone(request, lambda: extractor.extract(str(upload.path)))
        with anyio.CancelScope(shield=True):  # once begun, the write runs to its end
            outcome = await anyio.to_thread.run_sync(_write, pool, upload, final, items)
        return outcome
    finally:
        up.remove(upload)


def _stored(pool: ReadPool, final: Path, sha256: str) -> Any:
    """The source already stored from these bytes, if any."""
    with pool.read() as kb:
        found = kb.store.source(str(final))
    return found if found is not None and found.sha256 == sha256 else None


def _source_json(record: Any, final: Path) -> dict[str, Any]:
    return {"id": record.id, "path": final.name, "title": record.title}


def _write(pool: ReadPool, upload: Upload, final: Path, items: list[Extracted]) -> Outcome:
    """Store the extracted items as read from ``final`` (the part file renamed), in one write."""
    part = str(upload.path)
    created = False
    try:
        with pool.write() as kb:
            if not final.exists():
                os.link(upload.path, final)
                created = True
            results = [
                kb.add_extracted(
                    got, str(final) + got.key[len(part) :] if got.key.startswith(part) else got.key
                )
                for got in items
            ]
            first = results[0] if results else None
            if first is None or first.error is not None:
                error = first.error if first is not None else InputError(upload.name, "holds no article")
                problem = error.problem if isinstance(error, InputError) else str(error)
                raise InputError(upload.name, problem)
            record = kb.store.source(str(final))
    except BaseException:
        if created:
            final.unlink(missing_ok=True)
        raise
    source = _source_json(record, final) if record is not None else None
    facts = first.facts if first.status != "unchanged" else (record.facts if record else 0)
    return Outcome(upload.name, first.status, facts, source)


def remove_source(pool: ReadPool, source_id: int) -> dict[str, Any]:
    """Delete a source and its facts (one transaction) as ``dyad remove`` does; NotFound if none."""
    from dyad.web.api import NotFound  # the API's 404, defined there

    with pool.read() as kb:
        shown = kb.store.source(source_id)  # its paths as the web shows them
    with pool.write() as kb:
        found = kb.store.remove_source(source_id)
    if found is None or shown is None:
        raise NotFound(f"no source {source_id}; /api/sources lists them")
    source, facts = found
    return {"removed": {"id": source.id, "path": shown.path, "title": source.title,
                        "paths": list(shown.paths or (shown.path,))}, "facts": facts}  # fmt: skip


@router.delete("/api/sources/{source_id}", summary="Delete a source and its facts (only with --allow-ingest)")
async def delete_source(request: Request, source_id: int) -> Response:
    """Delete the source and every fact it states, in one transaction, with ``Authorization: Bearer
    <token>``: ``{"removed": {"id", "path", "title", "paths"}, "facts"}``; 404 when there is no such
    source. Off (403) unless the server was started with ``--allow-ingest``.
    """
    settings = check_allowed(request)
    check_token(settings, bearer(request))
    if not 1 <= source_id < 2**31:
        raise Refused(422, "invalid_parameter", "source_id: give a source id from /api/sources")
    body = await run_in_threadpool(remove_source, request.app.state.pool, source_id)
    return JSON(body)


@router.post("/api/sources", summary="Ingest one article (only with --allow-ingest)", status_code=201)
async def post_source(request: Request) -> Response:
    """Ingest the article sent as the multipart field ``file``, with ``Authorization: Bearer <token>``.

    201 with ``{"file", "status": "added", "facts", "source": {"id", "path", "title"}}`` for a new
    source, 200 when it replaced one or was unchanged; 422 ``bad_input`` when the article cannot be
    read, with the reason the CLI gives.
    """
    settings = check_allowed(request)
    check_token(settings, bearer(request))
    try:
        received = await receive_upload(request, settings, form_token=False)
        outcome = await ingest_upload(request, received)
    except ClientGone:
        return Response(status_code=GONE)
    return JSON(outcome.to_json(), 201 if outcome.status == "added" else 200)
