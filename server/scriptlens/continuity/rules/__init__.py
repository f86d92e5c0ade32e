"""The continuity rules, one module each, in the order their findings are documented."""

from __future__ import annotations

from scriptlens.continuity.rules import (
    contd_mismatch,
    dual_dialogue_orphan,
    exit_reappearance,
    long_absence,
    lost_introduction,
    name_variant,
    orphaned_mention,
    partial_rename,
    screen_time_shift,
    unintroduced_speaker,
)
from scriptlens.continuity.rules.base import Rule, RuleSpec

RULES: tuple[Rule, ...] = (
    name_variant.RULE,
    partial_rename.RULE,
    lost_introduction.RULE,
    orphaned_mention.RULE,
    exit_reappearance.RULE,
    unintroduced_speaker.RULE,
    long_absence.RULE,
    screen_time_shift.RULE,
    contd_mismatch.RULE,
    dual_dialogue_orphan.RULE,
)
SPECS: dict[str, RuleSpec] = {rule.spec.code: rule.spec for rule in RULES}
