"""Writing output files so that no run can destroy what is already there.

An output is written to a temporary file beside its target and renamed into place only when
complete: a full disk, a crash or an interrupt leaves the old file (if any) untouched and never a
truncated one. A target that is one of the corpus database's own files is refused outright.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from letopis.errors import InputError


@contextmanager
def atomic_output(
    path: str | Path, *, binary: bool = False, protected: Iterable[Path] = ()
) -> Iterator[IO]:
    """An open file whose content replaces `path` when the block ends without an error."""
    target = Path(path)
    refuse_protected(target, protected)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise InputError(f"cannot write {target}: {_reason(error)}") from None
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with os.fdopen(handle, mode, encoding=encoding, newline=None if binary else "") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        raise InputError(f"cannot write {target}: {_reason(error)}") from None
    except BaseException:
        _remove(temporary)
        raise


# OWASP's rule for CSV injection: a cell a spreadsheet would read as a formula gets a leading
# apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: dict[str, Any]) -> dict[str, Any]:
    """The row with every text cell that starts like a formula neutralised."""
    return {key: _safe_cell(value) for key, value in row.items()}


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def refuse_protected(target: Path, protected: Iterable[Path]) -> None:
    """Refuse a target that is (or links to) one of the protected files."""
    resolved = target.expanduser().resolve()
    for path in protected:
        guarded = path.expanduser().resolve()
        same = resolved == guarded or (
            resolved.exists() and guarded.exists() and os.path.samefile(resolved, guarded)
        )
        if same:
            raise InputError(
                f"refusing to write to {target}: it is the corpus database's file {path}"
            )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


def _reason(error: OSError) -> str:
    return error.strerror or str(error).splitlines()[0]
