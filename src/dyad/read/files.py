"""Opening an input: regular files only, read once, never more than the size limit plus one byte.

Everything dyad reads from disk goes through :func:`open_regular`. A named pipe, a device (``/dev/zero``,
``/dev/urandom``), a socket or a directory is refused before a byte is read, so no input can block a
run or fill its memory; a file is opened without blocking and checked on the open descriptor, so a path
swapped for a pipe after a check cannot slip through. Each refusal is an
:class:`~dyad.errors.InputError` whose problem says what the path is and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from dyad.errors import InputError
from dyad.settings import MAX_ARTICLE_BYTES

__all__ = ["MAX_BYTES", "open_problem", "open_regular", "read_rest", "read_start", "too_large"]

#: The largest file read whole (an article, a page, a story); larger ones are refused unread.
MAX_BYTES = MAX_ARTICLE_BYTES

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def too_large(size: int | None) -> str:
    """The problem of a file over the limit, its size exact (never rounded to the limit itself)."""
    limit = f"over the limit of {MAX_BYTES // 2**20} MB ({MAX_BYTES:,} bytes); split it into smaller files"
    return f"too large: {limit}" if size is None else f"too large: {size:,} bytes, {limit}"


def open_regular(name: str) -> BinaryIO:
    """The file at ``name`` opened for reading in binary; InputError unless it is a readable regular file."""
    if not name:
        raise InputError(name, "an empty path; name a file or a directory")
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise InputError(name, open_problem(name, error)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(name, "is a directory")
        if not stat.S_ISREG(mode):
            kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
            raise InputError(name, f"{kind}, not a regular file; dyad reads only regular files")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_rest(f: BinaryIO, name: str, start: bytes) -> bytes:
    """The whole file: ``start`` (its first bytes, already read) and the rest, at most the limit plus one
    byte in all; InputError when it is larger than the limit."""
    size = os.fstat(f.fileno()).st_size
    if size > MAX_BYTES:
        raise InputError(name, too_large(size))
    try:
        data = start + f.read(MAX_BYTES + 1 - len(start))
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:  # it grew while being read
        raise InputError(name, too_large(None))
    return data


def read_start(f: BinaryIO, name: str, n: int) -> bytes:
    """The first ``n`` bytes of an open file; InputError naming the problem when it cannot be read."""
    try:
        return f.read(n)
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror or error})") from None


def open_problem(name: str, error: OSError) -> str:
    """What an error opening (or looking up) ``name`` means for a user, and what to do."""
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links (a link that leads back to itself); fix or remove the link"
    if error.errno == errno.ENOENT:
        return (
            "a symbolic link to nothing (its target is missing)" if os.path.islink(name) else "no such file"
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; make the file readable"
    if error.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a directory)"
    if error.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return f"cannot open the file ({error.strerror or error})"
