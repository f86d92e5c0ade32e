"""Pull diagnostics (``textDocument/diagnostic``, ``workspace/diagnostic``) for clients that can
pull and be told to pull again (``workspace/diagnostic/refresh``): a continuity finding in one
episode changes with edits in another, so a client that cannot be told would keep stale
findings. Such a client gets no ``publishDiagnostics`` at all, never both; others get pushes,
and a pull from one of them (Neovim 0.11 pulls without taking refresh requests) is answered
empty, so that it shows each finding once.

The answers are the publisher's latest check (run first if one is pending), so pulls and quick
fixes agree. Each report carries a result id; a client that sends it back for unchanged findings
is told they are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.lsp import diagnostics  # as a module: it asks this one whether to push

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer

IDENTIFIER = "scriptlens"


def pulled_by(ls: ScriptlensServer) -> bool:
    """Whether this client pulls diagnostics (and can be told to pull again)."""
    capabilities = ls.client_capabilities
    text_document, workspace = capabilities.text_document, capabilities.workspace
    can_pull = text_document is not None and text_document.diagnostic is not None
    refresh = workspace.diagnostics if workspace is not None else None
    return can_pull and refresh is not None and bool(refresh.refresh_support)


def changed(ls: ScriptlensServer) -> None:
    """The findings changed: the client is to pull them again."""
    ls.workspace_diagnostic_refresh(None)


def _result_id(found: Sequence[Diagnostic]) -> str:
    return format(hash(tuple(found)) & (1 << 64) - 1, "x")


async def document_diagnostic(
    ls: ScriptlensServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    if not pulled_by(ls):
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    await ls.diagnostics.current()
    opened = ls.documents.get(params.text_document.uri)
    series = opened.series if opened is not None else None
    found: list[Diagnostic] = []
    if opened is not None and series is not None and opened.key is not None:
        found = ls.diagnostics.latest.get((series.root, opened.key), [])
    result_id = _result_id(found)
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = [diagnostics.to_lsp(d, ls.uris(series)) for d in found] if series is not None else []
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


async def workspace_diagnostic(
    ls: ScriptlensServer, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    """Every file of every series with findings, and every file the client asks about whose
    findings went away (as an empty report)."""
    if not pulled_by(ls):
        return types.WorkspaceDiagnosticReport(items=[])
    await ls.diagnostics.current()
    previous = {item.uri: item.value for item in params.previous_result_ids}
    by_root = {series.root: series for series in ls.loaded_series()}
    reports: list[types.WorkspaceDocumentDiagnosticReport] = []
    seen: set[str] = set()
    for (root, key), found in sorted(ls.diagnostics.latest.items()):
        series = by_root.get(root)
        if series is None:
            continue
        uri = ls.uri_of(series, key)
        seen.add(uri)
        opened = ls.documents.get(uri)
        version = opened.version if opened is not None else None
        result_id = _result_id(found)
        if previous.get(uri) == result_id:
            reports.append(
                types.WorkspaceUnchangedDocumentDiagnosticReport(
                    uri=uri, version=version, result_id=result_id
                )
            )
            continue
        items = [diagnostics.to_lsp(d, ls.uris(series)) for d in found]
        reports.append(
            types.WorkspaceFullDocumentDiagnosticReport(
                uri=uri, version=version, items=items, result_id=result_id
            )
        )
    cleared = _result_id([])
    for uri in sorted(set(previous) - seen):
        if previous[uri] != cleared:
            reports.append(
                types.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=None, items=[], result_id=cleared
                )
            )
    return types.WorkspaceDiagnosticReport(items=reports)


def register(ls: ScriptlensServer) -> None:
    ls.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=IDENTIFIER, inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )(document_diagnostic)
    ls.feature(types.WORKSPACE_DIAGNOSTIC)(workspace_diagnostic)
