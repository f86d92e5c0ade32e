"""Semantic tokens: syntax highlighting from the script model, for editors without a Fountain
grammar. Every token lies on one line (LSP tokens cannot span lines) and skips the whitespace
around its text; columns are UTF-16 code units, as the model's ranges are.

Notes and boneyards can sit inside other elements (a ``[[note]]`` in a dialogue line): the
element's token is cut around them, so tokens never overlap."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types

from scriptlens.fountain import utf16
from scriptlens.fountain.model import Chunk, Range, Script

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer

Kind = types.SemanticTokenTypes
SECTION = Kind.Namespace.value
SCENE_HEADING = Kind.Function.value
CHARACTER = Kind.Class.value  # a cue's name, and a character's introduction in action
EXTENSION = Kind.Modifier.value  # (V.O.), (CONT'D)
DUAL_MARKER = Kind.Operator.value  # the ^ of dual dialogue
PARENTHETICAL = Kind.Parameter.value
DIALOGUE = Kind.String.value
LYRICS = Kind.String.value
TRANSITION = Kind.Keyword.value
CENTERED = Kind.Macro.value
PAGE_BREAK = Kind.Operator.value
SYNOPSIS = Kind.Comment.value  # with the documentation modifier
NOTE = Kind.Comment.value
BONEYARD = Kind.Comment.value
TITLE_KEY = Kind.Property.value
TITLE_VALUE = Kind.String.value

INTRODUCTION = types.SemanticTokenModifiers.Declaration.value
DOCUMENTATION = types.SemanticTokenModifiers.Documentation.value

TOKEN_TYPES: list[str] = list(
    dict.fromkeys(
        (
            SECTION,
            SCENE_HEADING,
            CHARACTER,
            EXTENSION,
            DUAL_MARKER,
            PARENTHETICAL,
            DIALOGUE,
            LYRICS,
            TRANSITION,
            CENTERED,
            PAGE_BREAK,
            SYNOPSIS,
            NOTE,
            BONEYARD,
            TITLE_KEY,
            TITLE_VALUE,
        )
    )
)
TOKEN_MODIFIERS: list[str] = [INTRODUCTION, DOCUMENTATION]
LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_TYPE_INDEX = {name: index for index, name in enumerate(TOKEN_TYPES)}
_MODIFIER_BIT = {name: 1 << index for index, name in enumerate(TOKEN_MODIFIERS)}

_SIMPLE = {
    "section": (SECTION, ()),
    "scene_heading": (SCENE_HEADING, ()),
    "parenthetical": (PARENTHETICAL, ()),
    "dialogue": (DIALOGUE, ()),
    "lyrics": (LYRICS, ()),
    "transition": (TRANSITION, ()),
    "centered": (CENTERED, ()),
    "page_break": (PAGE_BREAK, ()),
    "synopsis": (SYNOPSIS, (DOCUMENTATION,)),
}
# What covers what: a note hides its part of an element, a boneyard hides everything under it.
_ELEMENT, _NOTE, _BONEYARD = 0, 1, 2
_TITLE_KEY = re.compile(r"[^\s:][^:]*:")


class SemanticToken(NamedTuple):
    line: int
    start: int  # UTF-16 column
    length: int  # UTF-16 code units
    type: str
    modifiers: tuple[str, ...] = ()


class _Span(NamedTuple):
    line: int
    start: int
    end: int
    type: str
    modifiers: tuple[str, ...]
    layer: int


def _trimmed(lines: Sequence[str], where: Range) -> Iterator[tuple[int, int, str]]:
    """Each line ``where`` covers as (line, UTF-16 start column, text), without the whitespace
    around the text; lines with nothing but whitespace are left out."""
    start, end = where.start, where.end
    for number in range(start.line, min(where.last_line, len(lines) - 1) + 1):
        line = lines[number]
        first = utf16.index(line, start.character) if number == start.line else 0
        last = utf16.index(line, end.character) if number == end.line else len(line)
        segment = line[first:last]
        text = segment.strip()
        if text:
            column = start.character if number == start.line else 0
            # whitespace characters are all one UTF-16 unit
            yield number, column + len(segment) - len(segment.lstrip()), text


def _element_spans(
    lines: Sequence[str], where: Range, type_: str, modifiers: tuple[str, ...], layer: int
) -> Iterator[_Span]:
    for number, column, text in _trimmed(lines, where):
        yield _Span(number, column, column + utf16.units(text), type_, modifiers, layer)


def _cue_spans(lines: Sequence[str], where: Range) -> Iterator[_Span]:
    """A cue: the name (with any ``@``), each ``(extension)`` and the dual-dialogue ``^``."""
    for number, column, text in _trimmed(lines, where):
        name_end = min((i for i in (text.find("("), text.find("^")) if i >= 0), default=len(text))
        name = text[:name_end].rstrip()
        if name:
            yield _Span(number, column, column + utf16.units(name), CHARACTER, (), _ELEMENT)
        index = name_end
        while index < len(text):
            char = text[index]
            if char == "(":
                close = text.find(")", index)
                after = len(text) if close < 0 else close + 1
                type_: str = EXTENSION
            elif char == "^":
                after, type_ = index + 1, DUAL_MARKER
            else:
                index += 1
                continue
            start = column + utf16.units(text[:index])
            yield _Span(number, start, start + utf16.units(text[index:after]), type_, (), _ELEMENT)
            index = after


def _title_spans(lines: Sequence[str], where: Range) -> Iterator[_Span]:
    """``Key: value`` lines, and the indented lines that continue a value."""
    for number, column, text in _trimmed(lines, where):
        key = _TITLE_KEY.match(text) if column == 0 else None
        value, value_column = text, column
        if key is not None:
            name = key.group()[:-1].rstrip()
            yield _Span(number, column, column + utf16.units(name), TITLE_KEY, (), _ELEMENT)
            rest = text[key.end() :]
            value = rest.strip()
            value_column = column + utf16.units(text[: key.end()]) + len(rest) - len(rest.lstrip())
        if value:
            end = value_column + utf16.units(value)
            yield _Span(number, value_column, end, TITLE_VALUE, (), _ELEMENT)


class _ChunkSpans:
    """A model chunk's element and note spans, kept in its memo: a keystroke recomputes those of
    the chunk it touched only, and they follow a chunk that an edit above moved."""

    __slots__ = ("spans",)

    def __init__(self, spans: list[_Span]):
        self.spans = spans

    def moved(self, rows: int, scenes: int) -> _ChunkSpans:
        return _ChunkSpans([span._replace(line=span.line + rows) for span in self.spans])


def _element_and_note_spans(chunk: Chunk, lines: Sequence[str]) -> Iterator[_Span]:
    for element in chunk.elements:
        kind = element.type
        if kind in _SIMPLE:
            type_, modifiers = _SIMPLE[kind]
            yield from _element_spans(lines, element.range, type_, modifiers, _ELEMENT)
        elif kind == "character":
            yield from _cue_spans(lines, element.range)
        elif kind == "title_page":
            yield from _title_spans(lines, element.range)
        elif kind == "boneyard":
            yield from _element_spans(lines, element.range, BONEYARD, (), _BONEYARD)
        # action is plain text but for introductions; a note element is its notes, below
    for note in chunk.notes:
        yield from _element_spans(lines, note.range, NOTE, (), _NOTE)


def _spans(script: Script, lines: Sequence[str]) -> Iterator[_Span]:
    for chunk in script.chunks:
        known = chunk.memo.get(__name__)
        if known is None:
            known = chunk.memo[__name__] = _ChunkSpans(list(_element_and_note_spans(chunk, lines)))
        yield from known.spans
    # an introduction is the first mention in the whole script, so it is not a chunk's alone
    for introduction in script.introductions:
        yield from _element_spans(lines, introduction.range, CHARACTER, (INTRODUCTION,), _ELEMENT)


def _uncovered(span: _Span, covers: list[_Span]) -> Iterator[tuple[int, int]]:
    """The parts of ``span`` that no span of a higher layer on its line covers."""
    start = span.start
    for cover in sorted(c for c in covers if c.layer > span.layer):
        if cover.end <= start or cover.start >= span.end:
            continue
        if cover.start > start:
            yield start, cover.start
        start = max(start, cover.end)
    if start < span.end:
        yield start, span.end


def semantic_tokens(script: Script, text: str) -> list[SemanticToken]:
    """The tokens of a script over its ``text``, in document order, none overlapping."""
    lines = text.split("\n")
    spans = list(_spans(script, lines))
    covers: dict[int, list[_Span]] = {}
    for span in spans:
        if span.layer > _ELEMENT:
            covers.setdefault(span.line, []).append(span)
    tokens: list[SemanticToken] = []
    for span in spans:
        if span.line in covers:
            for start, end in _uncovered(span, covers[span.line]):
                tokens.append(
                    SemanticToken(span.line, start, end - start, span.type, span.modifiers)
                )
        else:
            tokens.append(
                SemanticToken(
                    span.line, span.start, span.end - span.start, span.type, span.modifiers
                )
            )
    tokens.sort()
    return tokens


def encode(tokens: Sequence[SemanticToken]) -> list[int]:
    """LSP's relative encoding: per token, the line delta, the start delta (from the previous
    token's start on the same line, else from column 0), length, type index, modifier bits."""
    data: list[int] = []
    line = start = 0
    for token in tokens:
        delta_start = token.start - start if token.line == line else token.start
        bits = 0
        for modifier in token.modifiers:
            bits |= _MODIFIER_BIT[modifier]
        data += (token.line - line, delta_start, token.length, _TYPE_INDEX[token.type], bits)
        line, start = token.line, token.start
    return data


def _open_document_tokens(ls: ScriptlensServer, uri: str) -> list[SemanticToken] | None:
    opened = ls.documents.get(uri)
    if opened is None:
        return None
    return semantic_tokens(opened.document.script, opened.document.text)


def semantic_tokens_full(
    ls: ScriptlensServer, params: types.SemanticTokensParams
) -> types.SemanticTokens | None:
    tokens = _open_document_tokens(ls, params.text_document.uri)
    return None if tokens is None else types.SemanticTokens(data=encode(tokens))


def semantic_tokens_range(
    ls: ScriptlensServer, params: types.SemanticTokensRangeParams
) -> types.SemanticTokens | None:
    tokens = _open_document_tokens(ls, params.text_document.uri)
    if tokens is None:
        return None
    first, last = params.range.start.line, params.range.end.line
    return types.SemanticTokens(data=encode([t for t in tokens if first <= t.line <= last]))


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)(semantic_tokens_full)
    ls.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, LEGEND)(semantic_tokens_range)
