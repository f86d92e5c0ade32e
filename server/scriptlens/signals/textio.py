"""Opening exports as text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030, the
superset of the GBK that Chinese platforms export; ``--encoding`` overrides the guess."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from scriptlens.signals.errors import SignalsError

CHUNK = 1 << 20


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise SignalsError(f"{path}: neither UTF-8 nor GBK/GB18030; pass --encoding")


class OpenedExport:
    """An export opened for text reading, with the byte position for progress reporting."""

    def __init__(self, path: Path, encoding: str | None) -> None:
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise SignalsError(f"unknown encoding {encoding!r}") from None
        self.encoding = encoding or detect_encoding(path)
        self.binary: BinaryIO = path.open("rb")
        self.text: TextIO = io.TextIOWrapper(
            self.binary, encoding=self.encoding, errors="strict", newline=""
        )
        self.path = path

    def position(self) -> int:
        return self.binary.tell()

    def close(self) -> None:
        self.text.close()


@contextmanager
def open_export(path: Path, encoding: str | None) -> Iterator[OpenedExport]:
    """The export, opened for the ``with`` block and closed after it; text that does not decode
    is the user's error to fix, so it is reported as one, naming the file."""
    export = OpenedExport(path, encoding)
    try:
        yield export
    except UnicodeDecodeError as error:
        # ``error.start`` counts from the start of the chunk being decoded, which ends where
        # the file has been read up to.
        offset = export.position() - len(error.object) + error.start
        raise SignalsError(
            f"{path}: not valid {export.encoding} at byte {offset}; pass --encoding"
        ) from None
    finally:
        export.close()
