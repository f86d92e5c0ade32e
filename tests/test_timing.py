"""The screen-time model: what takes time on screen and what does not."""

from __future__ import annotations

from scriptlens.fountain.timing import action_seconds, spoken_seconds


def test_words_and_cjk_characters_are_spoken_at_their_own_rates() -> None:
    assert spoken_seconds("one two three four five") == 2.0  # 2.5 words a second
    assert spoken_seconds("李总签收龙凤胎你好") == 2.25  # 4 characters a second
    assert spoken_seconds("Hi.") == 1.0  # at least a second


def test_a_note_inside_dialogue_or_action_takes_no_time() -> None:
    line = "Where do I sign?"
    assert spoken_seconds(f"{line} [[signal: #李总签收龙凤胎]]") == spoken_seconds(line)
    action = "Zhou Ming wheels in a double stroller."
    note = " [[theme: t96wp5ttd, as the audience asked for it in ep04]]" * 3
    assert action_seconds(action + note) == action_seconds(action)
