"""Privacy by design: keyed author identities and PII scrubbing before anything is stored.

Author ids become HMAC-SHA256 digests under a per-workspace secret key kept in
``.scriptlens/key`` (mode 0600, never inside the database), so a stolen database alone cannot
be joined back to platform accounts, while ``forget --author ID`` can still find a person.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import zlib
from pathlib import Path

from scriptlens.signals.errors import SignalsError

KEY_NAME = "key"
KEY_BYTES = 32

# One alternation so each text is scanned once; the first matching branch wins, so the more
# specific shapes (e-mail before @handle, phone before a bare digit run) come first.
_PII = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<url>(?:https?://|www\.)[^\s?#]*\?\S*)"
    r"|(?P<handle>(?<![A-Za-z0-9_.@])@[\w.\-]{2,})"  # CJK may precede: 回复@某人
    r"|(?P<phone>"
    r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}"  # international
    r"|(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)"  # Chinese mobile, 11 digits
    r"|(?<!\d)\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)"  # North American
    r")"
    r"|(?P<id>(?<!\d)\d{7,}[\dXx]?(?![\d]))",
)
_PLACEHOLDER = {name: f"⟨{name}⟩" for name in ("email", "url", "handle", "phone", "id")}
_MAYBE_PII = re.compile(r"[@\d]|www\.|://")


def scrub(text: str) -> str:
    """``text`` with e-mail addresses, URLs carrying query strings, @handles, phone numbers and
    long digit runs (ID numbers) replaced by placeholders such as ``⟨phone⟩``."""
    if _MAYBE_PII.search(text) is None:  # most comments: skip the full pattern
        return text
    return _PII.sub(lambda match: _PLACEHOLDER[match.lastgroup or "id"], text)


def load_key(state_dir: Path) -> bytes:
    """The workspace's secret key, created on first use with mode 0600."""
    path = state_dir / KEY_NAME
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        state_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return load_key(state_dir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
    if len(key) != KEY_BYTES:
        raise SignalsError(f"{path}: not a scriptlens key ({len(key)} bytes, want {KEY_BYTES})")
    return key


class Keyed:
    """Keyed one-way digests, as signed 64-bit integers so SQLite stores them compactly."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._authors: dict[str, int] = {}

    def _digest(self, purpose: str, text: str) -> int:
        """HMAC-SHA256 of ``purpose\\0text``, the purpose keeping each kind of digest apart."""
        digest = hmac.digest(self._key, f"{purpose}\0{text}".encode(), "sha256")
        return int.from_bytes(digest[:8], "big", signed=True)

    @property
    def fingerprint(self) -> str:
        """Identifies the key without revealing it, so a store can refuse a different key."""
        return hmac.digest(self._key, b"scriptlens fingerprint", "sha256").hex()[:16]

    def author(self, raw: str) -> int:
        cached = self._authors.get(raw)
        if cached is None:
            if len(self._authors) > 200_000:  # bound memory on huge imports
                self._authors.clear()
            cached = self._digest("author", raw)
            self._authors[raw] = cached
        return cached

    def author_candidates(self, raw: str) -> list[int]:
        """Digests under which ``raw`` may be stored: as given, and as Bilibili's CRC32 userHash
        of a numeric uid (Bilibili exports carry only that hash)."""
        forms = [raw]
        if raw.isdigit():
            forms.append(format(zlib.crc32(raw.encode()), "x"))
        return [self.author(form) for form in forms]

    def signal_uid(self, platform: str, external_id: str) -> int:
        """Deduplication key of a signal with a platform id (never stored raw: it leads back to
        the account on the platform)."""
        return self._digest("id", f"{platform}\0{external_id}")

    def content_uid(self, parts: str) -> int:
        """Deduplication key of a signal without an id, from its scrubbed content."""
        return self._digest("content", parts)
