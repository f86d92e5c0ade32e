"""Semantic tokens over stdio: the legend in the server's capabilities, the relative encoding
decoded with it, a range request, and tokens after incremental edits equal to a fresh open."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import EP01, SERVER, edit, initialize_params, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

# (line, UTF-16 start, length, type, modifiers)
Token = tuple[int, int, int, str, tuple[str, ...]]


@pytest.fixture
def initialized() -> dict[str, types.InitializeResult]:
    return {}


@pytest_lsp.fixture(config=SERVER)
async def client(
    lsp_client: LanguageClient, workspace: Path, initialized: dict[str, types.InitializeResult]
):
    initialized["result"] = await lsp_client.initialize_session(initialize_params(workspace))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def legend(
    client: LanguageClient, initialized: dict[str, types.InitializeResult]
) -> types.SemanticTokensLegend:
    provider = initialized["result"].capabilities.semantic_tokens_provider
    assert isinstance(provider, types.SemanticTokensOptions)
    assert provider.full is True and provider.range is True
    return provider.legend


def decode(data: list[int], legend: types.SemanticTokensLegend) -> list[Token]:
    tokens: list[Token] = []
    line = start = 0
    for index in range(0, len(data), 5):
        delta_line, delta_start, length, type_, bits = data[index : index + 5]
        start = start + delta_start if delta_line == 0 else delta_start
        line += delta_line
        modifiers = tuple(m for i, m in enumerate(legend.token_modifiers) if bits & (1 << i))
        tokens.append((line, start, length, legend.token_types[type_], modifiers))
    return tokens


async def full(client: LanguageClient, uri: str, legend: types.SemanticTokensLegend) -> list[Token]:
    answer = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert answer is not None
    return decode(answer.data, legend)


async def test_an_episode_is_highlighted(
    client: LanguageClient, workspace: Path, legend: types.SemanticTokensLegend
):
    uri = open_file(client, workspace / "ep01.fountain")
    assert await full(client, uri, legend) == [
        (0, 0, 5, "property", ()),  # Title
        (0, 7, 14, "string", ()),  # Rooftop Hearts
        (1, 0, 7, "property", ()),  # Episode
        (1, 9, 1, "string", ()),  # 1
        (3, 0, 9, "namespace", ()),  # # Act One
        (5, 0, 17, "function", ()),  # INT. OFFICE - DAY
        (7, 0, 6, "class", ("declaration",)),  # MR. LI, introduced
        (7, 36, 7, "class", ("declaration",)),  # SU QING, introduced
        (9, 0, 6, "class", ()),  # MR. LI
        (10, 0, 18, "string", ()),
        (12, 0, 7, "class", ()),  # SU QING
        (13, 0, 19, "string", ()),
        (15, 0, 17, "comment", ()),  # /* An older beat,
        (16, 0, 16, "comment", ()),  # cut for time. */
        (18, 0, 6, "class", ()),
        (19, 0, 21, "string", ()),
        (21, 0, 20, "function", ()),  # EXT. ROOFTOP - NIGHT
        (25, 0, 7, "class", ()),
        (26, 0, 14, "string", ()),
    ]


async def test_a_range_request_answers_the_lines_asked_for(
    client: LanguageClient, workspace: Path, legend: types.SemanticTokensLegend
):
    uri = open_file(client, workspace / "ep01.fountain")
    answer = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=9, character=0), end=types.Position(line=13, character=0)
            ),
        )
    )
    assert answer is not None
    everything = await full(client, uri, legend)
    assert decode(answer.data, legend) == [t for t in everything if 9 <= t[0] <= 13]
    assert len(decode(answer.data, legend)) == 4


async def test_after_incremental_edits_the_tokens_match_a_fresh_open(
    client: LanguageClient, workspace: Path, legend: types.SemanticTokensLegend
):
    uri = open_file(client, workspace / "ep01.fountain")
    await full(client, uri, legend)  # the model of the first version is built and used
    block = "\nÉLODIE ^\n(softly)\n你好 😀!\nSee you [[cut?]] later.\n"
    edit(client, uri, 2, (20, 0), (20, 0), block)
    edit(client, uri, 3, (13, 13), (13, 18), "jammed")
    edit(client, uri, 4, (23, 5), (23, 6), ", Li.")  # after the emoji's two UTF-16 units
    edited = await full(client, uri, legend)

    fresh = workspace / "fresh.fountain"
    fresh.write_text(
        EP01.replace("broke.", "jammed.").replace(
            "stairs.\n", "stairs.\n\nÉLODIE ^\n(softly)\n你好 😀, Li.\nSee you [[cut?]] later.\n"
        ),
        encoding="utf-8",
    )
    assert edited == await full(client, open_file(client, fresh), legend)
    assert edited[edited.index((21, 0, 6, "class", ())) :][:8] == [
        (21, 0, 6, "class", ()),  # ÉLODIE
        (21, 7, 1, "operator", ()),  # ^
        (22, 0, 8, "parameter", ()),  # (softly)
        (23, 0, 10, "string", ()),  # 你好 😀, Li.
        (24, 0, 8, "string", ()),  # "See you "
        (24, 8, 8, "comment", ()),  # [[cut?]]
        (24, 16, 7, "string", ()),  # " later."
        (26, 0, 20, "function", ()),  # EXT. ROOFTOP - NIGHT
    ]
