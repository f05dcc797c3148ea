"""Ingest over the web: off unless the server was started with ``--allow-ingest`` and a token.

``POST /api/sources`` takes one article as the multipart field ``file`` with ``Authorization: Bearer
<token>``; the page ``/ingest`` has a form doing the same with the token as a field. The body must
declare its length, and the article may be at most the app's ``max_upload_bytes``.

An upload goes through exactly what ``dyad ingest`` does (the same reader, the same bad-input rules):
its bytes are written to ``<db>-uploads/<sha256>.txt`` beside the knowledge base and that file is
ingested. The name is the content's digest, so nothing the client sends reaches a file path, and the
same bytes uploaded twice are ``unchanged``; an edited article is a new source. A file that fails is
deleted, and the error names the upload as the client named it.

``DELETE /api/sources/{id}``, behind the same switch and token, deletes a source and its facts.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from dyad.errors import DyadError, InputError
from dyad.web.pool import ReadPool
from dyad.web.shapes import JSON

__all__ = ["FORM_OVERHEAD", "Refused", "Settings", "router", "uploads_dir"]

#: Bytes a multipart body may carry beyond the article itself (boundaries, headers, the token field).
FORM_OVERHEAD = 16 * 1024
#: Longest upload name kept for messages.
NAME_LIMIT = 120

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Settings:
    allowed: bool
    token: str | None
    max_bytes: int


class Refused(DyadError):
    """An ingest request refused before any article is read; carries its HTTP status and error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


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
    expected = (settings.token or "").encode()
    if not given or not expected or not secrets.compare_digest(given.encode(), expected):
        raise Refused(401, "unauthorized", "a valid ingest token is needed")


def check_length(request: Request, settings: Settings) -> None:
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise Refused(411, "length_required", "send the upload with a Content-Length header")
    if int(length) > settings.max_bytes + FORM_OVERHEAD:
        raise Refused(413, "too_large", f"the upload is over the limit of {settings.max_bytes:,} bytes")


async def read_upload(request: Request, settings: Settings) -> tuple[str, bytes, Any]:
    """The upload's name and bytes, and the parsed form; the size is checked before the body is read."""
    check_length(request, settings)
    form = await request.form(max_files=1, max_fields=4)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Refused(422, "bad_input", "send the article as the multipart field 'file'")
    data = await upload.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise Refused(413, "too_large", f"the article is over the limit of {settings.max_bytes:,} bytes")
    return clean_name(upload.filename), data, form


def clean_name(name: str | None) -> str:
    """The client's file name, for messages only: its last path part, printable, not too long."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] not in "CZ" or c == " ").strip()
    return base[:NAME_LIMIT] or "upload"


def ingest_bytes(pool: ReadPool, name: str, data: bytes) -> Outcome:
    """Write the article to the uploads folder and ingest it as ``dyad ingest`` would.

    Raises :class:`~dyad.errors.InputError` naming the upload when the article cannot be read.
    """
    folder = uploads_dir(pool.path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()}.txt"
    existed = path.exists()
    if not existed:
        part = path.with_suffix(".part")
        part.write_bytes(data)
        os.replace(part, path)
    with pool.write() as kb:
        result = kb.ingest([path]).results[0]
        if result.error is not None:
            if not existed:
                path.unlink(missing_ok=True)
            problem = result.error.problem if isinstance(result.error, InputError) else str(result.error)
            raise InputError(name, problem)
        record = kb.store.source(str(path.resolve()))
    source = {"id": record.id, "path": record.path, "title": record.title} if record else None
    facts = result.facts if result.status != "unchanged" else (record.facts if record else 0)
    return Outcome(name, result.status, facts, source)


def remove_source(pool: ReadPool, source_id: int) -> dict[str, Any]:
    """Delete a source and its facts (one transaction) as ``dyad remove`` does; NotFound if none."""
    from dyad.web.api import NotFound  # the API's 404, defined there

    with pool.write() as kb:
        found = kb.store.remove_source(source_id)
    if found is None:
        raise NotFound(f"no source {source_id}; /api/sources lists them")
    source, facts = found
    return {"removed": {"id": source.id, "path": source.path, "title": source.title,
                        "paths": list(source.paths or (source.path,))}, "facts": facts}  # fmt: skip


@router.delete("/api/sources/{source_id}", summary="Delete a source and its facts (only with --allow-ingest)")
async def delete_source(request: Request, source_id: int) -> Response:
    """Delete the source and every fact it states, in one transaction, with ``Authorization: Bearer
    <token>``: ``{"removed": {"id", "path", "title", "paths"}, "facts"}``; 404 when there is no such
    source. Off (403) unless the server was started with ``--allow-ingest``.
    """
    settings = check_allowed(request)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    check_token(settings, given.strip() if scheme.lower() == "bearer" else None)
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
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    check_token(settings, given.strip() if scheme.lower() == "bearer" else None)
    name, data, _ = await read_upload(request, settings)
    outcome = await run_in_threadpool(ingest_bytes, request.app.state.pool, name, data)
    return JSON(outcome.to_json(), 201 if outcome.status == "added" else 200)
