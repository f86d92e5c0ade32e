"""screenplain's fixtures: each parses without ERROR or MISSING nodes, and where screenplain gives
its expected HTML, our elements read the same, or ``DISAGREEMENTS`` says why the spec is on our
side.

The HTML is read back into (type, text, detail) paragraphs: ``<h1>``…``<h5>`` sections with their
level, ``<h6>`` scene headings with their scene number, ``page-break`` headings, synopses, action,
transitions and the dialogue blocks (consecutive spoken lines are one dialogue element, as in our
model). Rendering choices are normalized away: screenplain upper-cases transitions and drops
notes, emphasis markers and the indentation of dialogue, and it prints no boneyard.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grammar_support import SHARED_CORPUS, syntax_errors
from scriptlens import parse
from scriptlens.fountain.text_reader import decode

SCREENPLAIN = SHARED_CORPUS / "conformance" / "screenplain"

if not SCREENPLAIN.is_dir():
    pytest.skip(f"conformance corpus not found at {SCREENPLAIN}", allow_module_level=True)

FIXTURES = sorted(SCREENPLAIN.glob("*.fountain"))
WITH_HTML = [path for path in FIXTURES if path.with_suffix(".html").exists()]
NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)

Paragraph = tuple[str, str, object]


def clean(text: str, keep_indentation: bool) -> str:
    text = text.replace("\u00a0", " ")
    lines = [line.rstrip() if keep_indentation else line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


class ScreenplainHTML(HTMLParser):
    """Reads screenplain's HTML output back into paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self.kind: str | None = None
        self.detail: object = None
        self.text: list[str] = []
        self.dialogue: list[str] = []
        self.right = False
        self.scene_number: str | None = None
        self.number_span: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag == "br":
            self.text.append("\n")
        elif re.fullmatch(r"h[1-5]", tag):
            self.begin("section", int(tag[1]))
        elif tag == "h6":
            if css == "page-break":
                self.paragraphs.append(("page_break", "", None))
            self.begin("scene_heading", None)
            self.scene_number = None
        elif tag == "span" and css.endswith("-synopsis"):
            self.begin("synopsis", None)
        elif tag == "span" and css in ("scnuml", "scnumr"):
            self.number_span = css
        elif tag == "div" and css in ("action", "transition"):
            self.begin(css, None)
        elif tag == "div" and css in ("left", "right"):
            self.right = css == "right"
        elif tag == "p" and css == "character":
            self.begin("character", self.right)
        elif tag == "p" and css == "parenthetical":
            self.begin("parenthetical", None)
        elif tag == "p" and self.kind is None:
            self.kind, self.detail, self.text = "dialogue", None, []  # joins the lines before

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.number_span:
            self.number_span = None
            return
        if tag in ("p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6") and self.kind:
            if self.kind == "dialogue" and tag == "p":
                self.dialogue.append("".join(self.text))
                self.kind, self.text = None, []
                return
            if self.kind == "action" and tag == "p":
                return
            text = "".join(self.text)
            if self.kind == "scene_heading":
                self.detail = self.scene_number
            self.paragraphs.append(
                (self.kind, clean(text, keep_indentation=self.kind == "action"), self.detail)
            )
            self.kind, self.text = None, []
        if tag == "div":
            self.flush_dialogue()

    def handle_data(self, data: str) -> None:
        if self.number_span == "scnumr":
            self.scene_number = data
        elif self.number_span is None and self.kind:
            self.text.append(data)

    def begin(self, kind: str, detail: object) -> None:
        self.flush_dialogue()
        self.kind, self.detail, self.text = kind, detail, []

    def flush_dialogue(self) -> None:
        if self.dialogue:
            self.paragraphs.append(("dialogue", clean("\n".join(self.dialogue), False), None))
            self.dialogue = []


def expected_paragraphs(fixture: Path) -> list[Paragraph]:
    reader = ScreenplainHTML()
    reader.feed(fixture.with_suffix(".html").read_text(encoding="utf-8"))
    reader.close()
    return [
        (kind, text.upper() if kind == "transition" else text, detail)
        for kind, text, detail in reader.paragraphs
    ]


def our_paragraphs(fixture: Path) -> list[Paragraph]:
    script = parse(decode(fixture.read_bytes()).text)
    paragraphs: list[Paragraph] = []
    for element in script.elements:
        if element.type in ("title_page", "boneyard", "note"):
            continue
        text = clean(NOTE.sub("", element.text), keep_indentation=element.type == "action")
        detail: object = None
        if element.type == "section":
            detail = element.level
        elif element.type == "scene_heading" and element.scene is not None:
            detail = script.scenes[element.scene].number
        elif element.type == "character":
            text, detail = text.rstrip("^").rstrip(), element.dual
        elif element.type == "transition":
            text = text.upper()
        elif element.type == "page_break":
            text = ""
        paragraphs.append((element.type, text, detail))
    return paragraphs


# Fixture -> (our paragraphs, why the spec is on our side).
DISAGREEMENTS: dict[str, tuple[list[Paragraph], str]] = {
    "boneyard": (
        [
            (
                "action",
                "As he rattles off the long list, Brick and Steel share a look.  "
                "This is going to be BAD.",
                None,
            ),
            ("character", "CUT TO:", False),
            ("dialogue", "EXT. PALATIAL MANSION - DAY", None),
            ("action", "An EXTREMELY HANDSOME MAN drinks a beer.  Shirtless, unfortunately.", None),
        ],
        "The spec says Fountain ignores what the boneyard wraps, so with it gone 'CUT TO:' is "
        "followed directly by 'EXT. PALATIAL MANSION - DAY' and not by the blank line a "
        "Transition needs, nor does the heading have the blank line before it that a Scene "
        "Heading needs: an upper-case line with text right under it is a Character cue. "
        "screenplain treats the boneyard as a paragraph break. jouvence's boneyard case "
        "('This is something.\\n/*…*/\\nOK.' is one action) reads the spec as we do.",
    ),
}

# Fixture -> reason: where our model, not the grammar, is still wrong. Strict, so a fix shows.
MODEL_BUGS: dict[str, str] = {}


def marks(name: str) -> list[pytest.MarkDecorator]:
    if name in MODEL_BUGS:
        return [pytest.mark.xfail(reason=MODEL_BUGS[name], strict=True)]
    return []


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_parses_without_errors(fixture: Path) -> None:
    assert syntax_errors(fixture.read_bytes()) == []


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param(p, id=p.stem, marks=marks(p.stem))
        for p in WITH_HTML
        if p.stem not in DISAGREEMENTS
    ],
)
def test_fixture_reads_like_screenplain(fixture: Path) -> None:
    assert our_paragraphs(fixture) == expected_paragraphs(fixture)


@pytest.mark.parametrize("name", [pytest.param(n, marks=marks(n)) for n in sorted(DISAGREEMENTS)])
def test_documented_disagreement(name: str) -> None:
    fixture = SCREENPLAIN / f"{name}.fountain"
    ours, why = DISAGREEMENTS[name]
    assert why
    assert our_paragraphs(fixture) == ours
    assert ours != expected_paragraphs(fixture), "screenplain now agrees: drop the disagreement"


def test_html_reader_reads_every_kind() -> None:
    reader = ScreenplainHTML()
    reader.feed(
        '<h1>Act</h1><span class="h1-synopsis">Syn</span>\n'
        '<h6 class="page-break"><span class="scnuml">2</span>INT. A<span class="scnumr">2</span>'
        '</h6>\n<div class="action"><p>&nbsp; a<br/>b</p></div>\n'
        '<div class="dual"><div class="left"><p class="character">X</p><p>Hi</p></div>'
        '<div class="right"><p class="character">Y</p><p class="parenthetical">(b)</p>'
        '<p>One</p><p>Two</p></div></div>\n<div class="transition">CUT TO:</div>'
    )
    assert reader.paragraphs == [
        ("section", "Act", 1),
        ("synopsis", "Syn", None),
        ("page_break", "", None),
        ("scene_heading", "INT. A", "2"),
        ("action", "  a\nb", None),
        ("character", "X", False),
        ("dialogue", "Hi", None),
        ("character", "Y", True),
        ("parenthetical", "(b)", None),
        ("dialogue", "One\nTwo", None),
        ("transition", "CUT TO:", None),
    ]
