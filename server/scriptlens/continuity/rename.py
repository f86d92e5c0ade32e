"""Renaming a character's name across the series: the edits, never the writing of files.

A rename changes one *name* of a character (the one under the cursor, as its loose key: ``MR. LI``
also covers ``Mr Li`` in action) wherever it names that character: cues (their extensions such as
``(CONT'D)`` kept), mentions in action and dialogue, and ``[[exit:]]``/``[[return:]]`` notes.
The character's other names (declared aliases, short forms) stay as they are. Names in
``scriptlens.toml``'s ``[cast]`` tables are renamed only when asked for.

Cues and ALL-CAPS mentions get the new name in capitals; other mentions get it as the writer
typed it when that mixes cases (``McKee``), else with each word capitalised (``Su Mei``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.diagnostics import TextEdit
from scriptlens.continuity.names import loose_key
from scriptlens.continuity.occurrences import Occurrence, introduction, occurrences
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Position, Range
from scriptlens.text_facts import cue_key

# Characters that would turn a cue into something else: an extension, a dual-dialogue mark, a
# note, or a line break.
_NOT_IN_NAMES = re.compile(r"[()\[\]^\r\n]")
_TOML_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'")
_TOML_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


class RenameError(ValueError):
    """The rename cannot be done; the message says why, for the writer to read."""


def check_new_name(cast: Cast, character: str, old: str, new: str) -> str:
    """``new`` as a cue spells it, or a ``RenameError`` saying why it cannot replace ``old``."""
    name = cue_key(new)
    if not name:
        raise RenameError("A character's name cannot be empty.")
    if _NOT_IN_NAMES.search(name) or not any(char.isalpha() for char in name):
        raise RenameError(
            f"{new.strip()!r} cannot be a character's name: it needs a letter, and no brackets, "
            "parentheses, ^ or line breaks."
        )
    owner = owner_of(cast, name)
    if owner is not None and owner != character:
        where = introduction(cast, owner)
        place = f" ({where[0]}:{where[1].start.line + 1})" if where else ""
        raise RenameError(
            f"Cannot rename {old} to {name}: {name} is another character{place}. "
            "Merging two characters is not a rename."
        )
    return name


def owner_of(cast: Cast, name: str) -> str | None:
    """The character that already has ``name`` (a cue spelling, a declared alias or an
    introduction), compared without punctuation; ``None`` when no one does."""
    key = loose_key(name)
    for character in cast.characters.values():
        if any(loose_key(known) == key for known in character.names):
            return character.id
    for intro_name in cast.intro_names:
        if loose_key(intro_name) == key:
            return cast.resolve(intro_name)
    return None


def rename_edits(
    cast: Cast,
    character: str,
    old: str,
    new: str,
    config: tuple[str, str] | None = None,
) -> list[TextEdit]:
    """The edits renaming ``old`` (a name of ``character``) to ``new`` everywhere, in series
    order; ``config`` is ``(file, text)`` of ``scriptlens.toml`` when its ``[cast]`` names are to
    be renamed too. Raises ``RenameError`` when ``new`` cannot be the name."""
    name = check_new_name(cast, character, old, new)
    typed = " ".join(new.split())
    key = loose_key(old)
    edits = [
        TextEdit(o.file, o.range, _spelt(o, name, typed))
        for o in occurrences(cast, character)
        if o.key == key
    ]
    if config is not None:
        file, text = config
        edits += [
            TextEdit(file, where, literal) for where, literal in toml_name_edits(text, old, name)
        ]
    return edits


def _spelt(occurrence: Occurrence, name: str, typed: str) -> str:
    if occurrence.kind != "mention" or occurrence.written.isupper():
        return name
    if typed not in (typed.upper(), typed.lower()):
        return typed
    return " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))


def toml_name_edits(text: str, old: str, new: str) -> Iterator[tuple[Range, str]]:
    """Each string in the ``[cast]`` tables of a ``scriptlens.toml`` spelling ``old`` (as a cue
    key), with the quoted ``new`` to put there."""
    wanted = cue_key(old)
    in_cast = False
    for number, line in enumerate(text.splitlines()):
        header = _TOML_HEADER.match(line)
        if header and not line.lstrip().startswith(('["', "['")):
            in_cast = header.group(1).split(".")[0].strip() == "cast"
            continue
        if not in_cast:
            continue
        scanned = 0
        for match in _TOML_STRING.finditer(line):
            if "#" in line[scanned : match.start()]:
                break  # the rest of the line is a comment
            scanned = match.end()
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if cue_key(value) != wanted:
                continue
            start = utf16.column(line, match.start())
            end = utf16.column(line, match.end())
            quote = line[match.start()]
            where = Range(Position(number, start), Position(number, end))
            yield where, f"{quote}{new}{quote}"
