"""The continuity engine's public API for callers that keep their own models (the language
server): indexing a file from a model, reading the current texts and models, and the cast that
``check`` judges."""

from scriptlens.continuity.engine import Engine
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.fountain.parser import parse

EP1 = """INT. OFFICE - DAY

MR. LI looks up. SU QING enters.

MR. LI
Who are you?

SU QING
You owe me something, Mr. Li.
"""

EP2 = """INT. CAR - NIGHT

SU QING
Home.
"""

RENAMED = EP1.replace("MR. LI\n", "PRESIDENT ZHAO\n")


def test_update_script_indexes_the_model_it_is_given():
    document = Document(EP1, "ep01.fountain")
    engine = Engine()
    engine.update_script("ep01.fountain", document.text, document.script)
    assert engine.texts() == {"ep01.fountain": EP1}
    assert engine.scripts()["ep01.fountain"] is document.script


def test_update_script_keeps_the_index_while_the_text_stays_the_same():
    first = parse(EP1, "ep01.fountain")
    engine = Engine()
    engine.update_script("ep01.fountain", EP1, first)
    engine.update_script("ep01.fountain", EP1, parse(EP1, "ep01.fountain"))
    assert engine.scripts()["ep01.fountain"] is first
    edited = EP1.replace("Who are you?", "Who are you, then?")
    second = parse(edited, "ep01.fountain")
    engine.update_script("ep01.fountain", edited, second)
    assert engine.scripts()["ep01.fountain"] is second


def test_an_incrementally_reparsed_model_checks_like_a_fresh_parse():
    document = Document(EP1, "ep01.fountain")
    start = Position(4, 0)
    document.apply_change(start, Position(4, len("MR. LI")), "PRESIDENT ZHAO")
    assert document.text == RENAMED
    from_model = Engine()
    from_model.set_baseline({"ep01.fountain": EP1})
    from_model.update_script("ep01.fountain", document.text, document.script)
    from_text = Engine()
    from_text.set_baseline({"ep01.fountain": EP1})
    from_text.update("ep01.fountain", RENAMED)
    assert from_model.check() == from_text.check()
    assert [d.code for d in from_model.check()].count("orphaned-mention") == 2


def test_update_parses_the_text_and_drops_a_byte_order_mark():
    engine = Engine()
    engine.update("ep01.fountain", "\ufeff" + EP1)
    script = engine.scripts()["ep01.fountain"]
    assert engine.texts() == {"ep01.fountain": EP1}
    assert [block.speaker for block in script.dialogue] == ["MR. LI", "SU QING"]
    engine.update("ep01.fountain", EP1)
    assert engine.scripts()["ep01.fountain"] is script


def test_texts_and_scripts_follow_the_current_series():
    engine = Engine()
    engine.set_files({"ep01.fountain": EP1, "ep02.fountain": EP2})
    assert engine.texts() == {"ep01.fountain": EP1, "ep02.fountain": EP2}
    assert [script.path for script in engine.scripts().values()] == [
        "ep01.fountain",
        "ep02.fountain",
    ]
    engine.remove("ep02.fountain")
    assert engine.texts() == {"ep01.fountain": EP1}
    assert list(engine.scripts()) == ["ep01.fountain"]


def test_cast_is_the_one_check_judges_mentions_included():
    engine = Engine()
    engine.set_files({"ep01.fountain": RENAMED, "ep02.fountain": EP2})
    engine.set_baseline({"ep01.fountain": EP1, "ep02.fountain": EP2})
    cast = engine.cast()
    assert set(cast.characters) == {"PRESIDENT ZHAO", "SU QING"}
    assert cast.series.files == ("ep01.fountain", "ep02.fountain")
    # MR. LI speaks no more; his name is still found where check reports it, through the
    # baseline's names.
    orphaned = [
        (located.file, located.item.range.start.line)
        for located, character in cast.mentions
        if character is None
    ]
    reported = [
        (item.file, item.range.start.line)
        for item in engine.check()
        if item.code == "orphaned-mention"
    ]
    assert orphaned == reported == [("ep01.fountain", 2), ("ep01.fountain", 8)]
