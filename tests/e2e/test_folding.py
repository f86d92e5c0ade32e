"""Folding over stdio: title page, sections, scenes and boneyard."""

from __future__ import annotations

from pathlib import Path

from lsp_support import open_file
from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_title_page_section_scenes_and_boneyard_fold(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep01.fountain")
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert ranges is not None
    region, comment = types.FoldingRangeKind.Region, types.FoldingRangeKind.Comment
    assert [(r.start_line, r.end_line, r.kind) for r in ranges] == [
        (0, 1, region),  # title page
        (3, 26, region),  # "# Act One" to the end
        (5, 19, region),  # INT. OFFICE - DAY
        (15, 16, comment),  # /* An older beat, … */
        (21, 26, region),  # EXT. ROOFTOP - NIGHT
    ]


async def test_a_section_folds_up_to_the_next_section_of_its_level(
    client: LanguageClient, workspace: Path
):
    path = workspace / "acts.fountain"
    path.write_text(
        "# One\n\n## Scene work\n\nINT. A - DAY\n\nAction.\n\n# Two\n\nEXT. B - NIGHT\n\nMore.\n",
        encoding="utf-8",
    )
    uri = open_file(client, path)
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert ranges is not None
    assert [(r.start_line, r.end_line) for r in ranges] == [
        (0, 6),  # # One
        (2, 6),  # ## Scene work
        (4, 6),  # INT. A - DAY
        (8, 12),  # # Two
        (10, 12),  # EXT. B - NIGHT
    ]
