"""Completion over stdio: character names at a cue (the scene's speakers first, the one who just
spoke last; aliases find their character), scene-heading prefixes and transitions, locations
after ``INT.`` and times of day after `` - ``, and theme ids with their labels inside
``[[theme:`` notes, read from a real signal store."""

from __future__ import annotations

from pathlib import Path

from lsp_support import edit, file_changed, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from scriptlens.signals import ImportOptions, SignalSettings, build_themes, import_signals
from signals_support import EXPORTS, store_in


async def _complete(
    client: LanguageClient, uri: str, line: int, character: int, trigger: str | None = None
) -> list[types.CompletionItem]:
    context = (
        types.CompletionContext(
            trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger
        )
        if trigger
        else types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked)
    )
    answer = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
            context=context,
        )
    )
    if answer is None:
        return []
    items = answer.items if isinstance(answer, types.CompletionList) else answer
    return sorted(items, key=lambda item: item.sort_text or item.label)


def _labels(items: list[types.CompletionItem], kind: types.CompletionItemKind) -> list[str]:
    return [item.label for item in items if item.kind == kind]


async def test_a_cue_offers_the_scenes_speakers_first_the_last_speaker_after_them(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    # A new cue after MR. LI's "Then take the stairs." (line 19): SU QING is next to answer.
    edit(client, uri, 2, (20, 0), (20, 0), "\nS\n")
    items = await _complete(client, uri, 21, 1)
    characters = _labels(items, types.CompletionItemKind.Class)
    assert characters == ["SU QING", "MR. LI", "MR LEE"]  # MR LEE speaks only in ep02
    [su_qing] = [item for item in items if item.label == "SU QING"]
    assert su_qing.detail == "3 cues; speaks in this scene"
    assert su_qing.text_edit == types.TextEdit(
        range=types.Range(
            start=types.Position(line=21, character=0), end=types.Position(line=21, character=1)
        ),
        new_text="SU QING",
    )
    keywords = _labels(items, types.CompletionItemKind.Keyword)
    assert keywords[:2] == ["INT. ", "EXT. "]
    assert "CUT TO:" in keywords


async def test_aliases_find_their_character(client: LanguageClient, workspace: Path):
    (workspace / "scriptlens.toml").write_text(
        '[cast.aliases]\n"SU QING" = ["QINGQING"]\n', encoding="utf-8"
    )
    file_changed(client, workspace / "scriptlens.toml", types.FileChangeType.Created)
    uri = open_file(client, workspace / "ep02.fountain")
    edit(client, uri, 2, (15, 0), (15, 0), "\nQ")
    items = await _complete(client, uri, 16, 1)
    [su_qing] = [item for item in items if item.label == "SU QING"]
    assert su_qing.filter_text == "SU QING QINGQING"
    assert su_qing.detail is not None and su_qing.detail.endswith("also QINGQING")


async def test_no_cue_completion_in_the_middle_of_action_or_dialogue(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    assert await _complete(client, uri, 23, 4) == []  # "Su Qing climbs out onto the roof."
    assert await _complete(client, uri, 10, 3, trigger=".") == []  # "You're late again."


async def test_locations_after_a_heading_prefix_and_times_after_the_dash(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    edit(client, uri, 2, (26, 14), (26, 14), "\n\nINT.")
    locations = await _complete(client, uri, 28, 4, trigger=".")
    assert _labels(locations, types.CompletionItemKind.Value) == ["OFFICE", "ROOFTOP"]
    assert locations[0].detail == "2 scenes in the series"  # ep01 and ep02's offices
    edit(client, uri, 3, (28, 4), (28, 4), " OFFICE -")
    times = await _complete(client, uri, 28, 13, trigger="-")
    labels = _labels(times, types.CompletionItemKind.EnumMember)
    assert labels[:3] == ["DAY", "MORNING", "NIGHT"]  # the series' own first
    assert "CONTINUOUS" in labels


async def test_theme_ids_with_their_labels_inside_a_theme_note(
    client: LanguageClient, workspace: Path
):
    with store_in(workspace) as store:
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
        build_themes(store, SignalSettings())
        largest = store.conn.execute("SELECT id, label FROM themes ORDER BY rank").fetchone()
    uri = open_file(client, workspace / "ep01.fountain")
    edit(client, uri, 2, (13, 19), (13, 19), " [[theme: ")
    items = await _complete(client, uri, 13, 29, trigger=":")
    themes = {item.label: item for item in items}
    assert largest[0] in themes
    assert themes[largest[0]].detail is not None
    assert themes[largest[0]].detail.startswith(largest[1])
    assert all(label.startswith("t") for label in themes)
