"""Provenance in commands, code actions and code lenses over stdio: ``scriptlens.explainLine``
answers the hover's Markdown and ``scriptlens explain``'s JSON; on a line with an inferred
motivation the code actions link it to its top signal (an edit the editor applies) or dismiss
the motivation (remembered in the store, so the line no longer shows it), and a dismissed one
is restored from the line's code actions; a scene's lens counts
its audience-driven lines, and the episode's outcome stands above its first scene."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import open_file
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from provenance_support import ANSWER_LINE, series


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Episode 4 rewritten in git after the audience asked Mr. Li to sign for his twins."""
    return series(tmp_path / "series", "git")


async def _command(client: LanguageClient, command: str, argument: object) -> object:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[argument])
    )


async def _actions(
    client: LanguageClient, uri: str, line: int
) -> dict[str, types.Command | types.CodeAction]:
    """The code actions on ``line``, by title up to the colon."""
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=0),
                end=types.Position(line=line, character=0),
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return {action.title.split(":")[0]: action for action in found or []}


async def test_explain_line_answers_markdown_and_the_json_contract(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    answer = await _command(client, "scriptlens.explainLine", {"uri": uri, "line": ANSWER_LINE})
    assert isinstance(answer, dict)
    assert answer["markdown"].startswith("**Why this line is here**")
    explanation = answer["explanation"]
    assert (explanation["file"], explanation["line"]) == ("ep04.fountain", ANSWER_LINE)
    assert explanation["motivations"][0]["kind"] == "inferred"
    with pytest.raises(JsonRpcException, match=r"ep04\.fountain:9999: past the end of the file"):
        await _command(client, "scriptlens.explainLine", {"uri": uri, "line": 9998})


async def test_link_to_the_top_signal_and_dismiss_the_motivation(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    actions = await _actions(client, uri, ANSWER_LINE)
    link = actions["Link this line to its top signal"]
    assert isinstance(link, types.CodeAction)
    assert link.kind == types.CodeActionKind.RefactorRewrite
    assert link.edit is not None and link.edit.changes is not None
    [insert] = link.edit.changes[uri]
    assert insert.range.start.line == ANSWER_LINE and insert.range.start == insert.range.end
    assert insert.new_text.startswith(" [[signal: s") and insert.new_text.endswith("]]")

    why = await _command(client, "scriptlens.explainLine", {"uri": uri, "line": ANSWER_LINE})
    assert isinstance(why, dict)
    theme = why["explanation"]["motivations"][0]["theme"]["id"]
    # lsprotocol's client reads any code action with a command as a bare Command, and the
    # command's own object as its string: the title and that string are what arrive here.
    dismiss = actions["Dismiss this inferred motivation"]
    assert "scriptlens.dismissMotivation" in str(dismiss.command) and theme in str(dismiss.command)
    argument = {"uri": uri, "line": ANSWER_LINE, "themeId": theme}
    assert await _command(client, "scriptlens.dismissMotivation", argument) is None
    after = await _command(client, "scriptlens.explainLine", {"uri": uri, "line": ANSWER_LINE})
    assert isinstance(after, dict)
    assert theme not in [m["theme"]["id"] for m in after["explanation"]["motivations"]]


async def test_a_dismissed_motivation_is_restored_from_the_lines_code_action(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    explain = {"uri": uri, "line": ANSWER_LINE}
    why = await _command(client, "scriptlens.explainLine", explain)
    assert isinstance(why, dict)
    theme = why["explanation"]["motivations"][0]["theme"]
    argument = {**explain, "themeId": theme["id"]}
    assert "Restore dismissed motivation" not in await _actions(client, uri, ANSWER_LINE)
    await _command(client, "scriptlens.dismissMotivation", argument)

    dismissed = await _command(client, "scriptlens.explainLine", explain)
    assert isinstance(dismissed, dict)
    assert f"Dismissed by the writers: {theme['label']}" in dismissed["markdown"]
    actions = await _actions(client, uri, ANSWER_LINE)
    restore = actions["Restore dismissed motivation"]
    assert restore.title == f"Restore dismissed motivation: {theme['label']}"
    # Read as a bare Command, as above: its command's object arrives as a string.
    assert "scriptlens.restoreMotivation" in str(restore.command)
    assert theme["id"] in str(restore.command)
    assert await _command(client, "scriptlens.restoreMotivation", argument) is None

    restored = await _command(client, "scriptlens.explainLine", explain)
    assert isinstance(restored, dict)
    assert restored["explanation"]["motivations"][0]["theme"] == theme
    assert "Dismissed by the writers" not in restored["markdown"]
    assert "Restore dismissed motivation" not in await _actions(client, uri, ANSWER_LINE)


async def test_the_scene_lens_counts_audience_driven_lines_and_shows_the_outcome(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    titles = [lens.command.title for lens in lenses or [] if lens.command]
    outcome, scene = titles
    assert outcome.startswith("Episode 4: completion 52% (series median 46%, previous episode 40%)")
    assert scene.endswith(" speaking · 2 audience-driven lines")  # ANSWER_LINE, LINKED_LINE
