"""Character continuity: the engine behind ``scriptlens check`` and the language server's
continuity diagnostics. The entry point is ``scriptlens.continuity.engine.Engine``; the rules
are in ``rules/``, one module each; ``docs/continuity.md`` describes them."""
