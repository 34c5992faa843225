"""Writing a file atomically: a temporary file in the same folder, then a rename.

Used for drafts (``--fix``) and cache entries.  A reader sees the old file or
the new one, never half of either; on any error the original is untouched and
the temporary file is removed.
"""
from __future__ import annotations

import os
import stat
import tempfile


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | os.PathLike, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path``'s content with ``data``, keeping an existing file's permissions.

    A symlink is followed (the file it points to is written, the link kept).
    ``durable`` also flushes the data and the rename to disk (drafts); a cache
    entry can skip that.
    """
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".followup-lint.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        try:  # make the rename itself durable
            dfd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass
