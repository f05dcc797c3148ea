"""Receiving one uploaded article: the multipart body streamed to a file of its own, token first.

The body is parsed as it arrives (python-multipart's streaming parser), never held whole in memory:
the ``file`` field goes straight to ``<db>-uploads/.<random>.part``, a name no other request uses
(two identical uploads at once each have their own), hashed on the way. What a request must carry is
checked before the article's bytes are read: its declared length (411, 413) and, for the upload form,
the ``token`` field, which must come before the file (401 at the start of the file otherwise). A body
that runs over the limit stops at the limit (413). A client that goes away mid-body raises
:class:`ClientGone`, and its part file is removed.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

from dyad.errors import DyadError

__all__ = ["FIELD_LIMIT", "FORM_OVERHEAD", "NAME_LIMIT", "ClientGone", "Refused", "Upload", "receive"]

#: Bytes a multipart body may carry beyond the article itself (boundaries, headers, the token field).
FORM_OVERHEAD = 16 * 1024
#: Longest upload name kept for messages.
NAME_LIMIT = 120
#: Bytes kept of a field that is not the file (the token).
FIELD_LIMIT = 1024
#: Parts a body may have.
MAX_PARTS = 4


class Refused(DyadError):
    """An ingest request refused before any article is read; carries its HTTP status and error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ClientGone(Exception):
    """The client closed the connection before the answer: nothing is left of its upload."""


@dataclass(frozen=True, slots=True)
class Upload:
    """An article received: the client's name for it (for messages), where its bytes are, their
    SHA-256 and size, and the form's other fields (at most :data:`FIELD_LIMIT` bytes each)."""

    name: str
    path: Path
    sha256: str
    size: int
    fields: dict[str, str]


def clean_name(name: str | None) -> str:
    """The client's file name, for messages only: its last path part, printable, not too long."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] not in "CZ" or c == " ").strip()
    return base[:NAME_LIMIT] or "upload"


def check_length(request: Request, max_bytes: int) -> None:
    """411 without a declared length, 413 when it is over the limit: before any of the body is read."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise Refused(411, "length_required", "send the upload with a Content-Length header")
    if int(length) > max_bytes + FORM_OVERHEAD:
        raise Refused(413, "too_large", f"the upload is over the limit of {max_bytes:,} bytes")


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    headers: dict[bytes, bytes] = field(default_factory=dict)
    header: bytes = b""
    value: bytes = b""
    data: bytearray = field(default_factory=bytearray)


class _Receiver:
    """The parser's callbacks: fields kept, the file written; problems noted for the loop to raise."""

    def __init__(self, folder: Path, max_bytes: int, token: Callable[[str | None], None] | None) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.token = token
        self.part = _Part()
        self.parts = 0
        self.fields: dict[str, str] = {}
        self.file: Any = None
        self.path: Path | None = None
        self.name = ""
        self.size = 0
        self.digest = hashlib.sha256()
        self.done_file = False
        self.problem: Exception | None = None

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self.begin,
            "on_header_field": lambda d, s, e: setattr(self.part, "header", self.part.header + d[s:e]),
            "on_header_value": lambda d, s, e: setattr(self.part, "value", self.part.value + d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.data,
            "on_part_end": self.end,
        }

    def begin(self) -> None:
        self.part = _Part()
        self.parts += 1
        if self.parts > MAX_PARTS:
            self.fail(Refused(422, "bad_input", "the form has too many fields; send the file and the token"))

    def header_end(self) -> None:
        self.part.headers[self.part.header.strip().lower()] = self.part.value.strip()
        self.part.header = self.part.value = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if self.part.name != "file" or self.problem is not None:
            return
        if self.file is not None or self.done_file:
            self.fail(Refused(422, "bad_input", "send one article as the multipart field 'file'"))
            return
        if self.token is not None and "token" not in self.fields:
            self.fail(Refused(401, "unauthorized", "a valid ingest token is needed, before the file"))
            return
        filename = options.get(b"filename")
        self.name = clean_name(filename.decode("utf-8", "replace") if filename is not None else None)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / f".{secrets.token_hex(8)}.part"
        self.file = open(self.path, "xb")  # noqa: SIM115 - closed in end() or by receive()

    def data(self, data: bytes, start: int, end: int) -> None:
        if self.problem is not None:
            return
        chunk = data[start:end]
        if self.part.name == "file" and self.file is not None:
            self.size += len(chunk)
            if self.size > self.max_bytes:
                self.fail(
                    Refused(413, "too_large", f"the article is over the limit of {self.max_bytes:,} bytes")
                )
                return
            self.digest.update(chunk)
            self.file.write(chunk)
        elif len(self.part.data) + len(chunk) <= FIELD_LIMIT:
            self.part.data += chunk

    def end(self) -> None:
        if self.problem is not None:
            return
        if self.part.name == "file" and self.file is not None:
            self.file.close()
            self.file = None
            self.done_file = True
        elif self.part.name and self.part.name != "file":
            value = self.part.data.decode("utf-8", "replace")
            self.fields.setdefault(self.part.name, value)
            if self.part.name == "token" and self.token is not None:
                try:
                    self.token(value)
                except Refused as e:
                    self.fail(e)

    def fail(self, problem: Exception) -> None:
        if self.problem is None:
            self.problem = problem

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)


async def receive(
    request: Request, folder: Path, max_bytes: int, *, token: Callable[[str | None], None] | None = None
) -> Upload:
    """Read the request's multipart body into a new part file in ``folder`` (module doc).

    ``token``, when given, is called with the form's ``token`` field as soon as it has arrived, and must
    raise :class:`Refused` for a wrong one; a file before any token is refused (401). The caller owns
    the part file of the :class:`Upload` returned and must remove it.
    """
    check_length(request, max_bytes)
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise Refused(422, "bad_input", "send the article as multipart/form-data, in the field 'file'")
    got = _Receiver(folder, max_bytes, token)
    parser = MultipartParser(boundary, got.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if got.problem is not None:
                raise got.problem
        parser.finalize()
        if got.problem is not None:
            raise got.problem
    except ClientDisconnect:
        got.discard()
        raise ClientGone from None
    except MultipartParseError:
        got.discard()
        raise Refused(
            422, "bad_input", "the multipart body cannot be read; send the article in the field 'file'"
        ) from None
    except BaseException:
        got.discard()
        raise
    if not got.done_file or got.path is None:
        got.discard()
        if token is not None and "token" not in got.fields:
            raise Refused(401, "unauthorized", "a valid ingest token is needed")
        raise Refused(422, "bad_input", "send the article as the multipart field 'file'")
    return Upload(got.name, got.path, got.digest.hexdigest(), got.size, got.fields)


def remove(upload: Upload) -> None:
    """Remove the upload's part file (when it is still there)."""
    with suppress(OSError):
        os.unlink(upload.path)
