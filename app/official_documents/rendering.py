"""Drawing the pages: fpdf2 lays them out, HarfBuzz (uharfbuzz) shapes the Arabic and fpdf2's
bidirectional algorithm puts it right to left with its numbers in place.

Why fpdf2 and not typst: both install from wheels with no system library, and typst is
faster, but typst writes each Arabic word as a run of its own in visual order, so text
extracted from its PDFs (copy and paste, screen readers, the tests) comes out with the words
of a name reversed. fpdf2 writes a line as one run that readers turn back to logical order.

Why IBM Plex Sans Arabic (`fontpkg-ibm-plex-sans-arabic`, OFL) and not Noto Sans Arabic: Noto
Sans Arabic draws a letter's dots as glyphs of their own, which readers then extract as extra
letters. Plex draws each letter whole and has the Latin letters of French too, so the page
uses one family.

Each page's words are in the templates (`templates/*.toml`); here is only how they sit.
This module imports nothing of the application but its typefaces (`typefaces.py`): it runs
in the rendering processes (`pool.py`), which receive plain dictionaries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.fonts import TTFFont

from app.official_documents.typefaces import FAMILY, Producer, furnish

TEMPLATES = Path(__file__).parent / "templates"
LEFT, RIGHT, WIDTH = 15.0, 195.0, 180.0
HALF = WIDTH / 2
GREEN = (0, 98, 51)
GREY = (235, 238, 240)

Payload = dict[str, Any]
# Ends every Arabic run: a strong right-to-left mark, so that a reader extracting the text
# knows the run's direction before its first glyph, which may be a ligature of two letters.
ALM = "\u061c"


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


class Sheet(FPDF):
    """A page that shapes only its Arabic runs: HarfBuzz and the bidirectional algorithm
    change nothing on French words and figures, and cost most of a page's drawing time."""

    def __init__(self) -> None:
        super().__init__(unit="mm", format="A4")
        self.set_text_shaping(True)
        self.arabic_shaping = self.text_shaping
        self.text_shaping = None

    def shape_for(self, text: str) -> None:
        self.text_shaping = self.arabic_shaping if is_arabic(text) else None

    def cell(  # type: ignore[override]
        self, w: float | None = None, h: float | None = None, text: str = "", **kwargs: Any
    ) -> bool:
        self.shape_for(text)
        return bool(super().cell(w, h, text, **kwargs))

    def width_of(self, text: str) -> float:
        """The text's width at the current font: summed from the font's advances unless
        it is shaped (fpdf2's `get_string_width` runs a line's whole layout to tell it)."""
        self.shape_for(text)
        if self.text_shaping:
            return float(self.get_string_width(text))
        font = self.current_font
        assert isinstance(font, TTFFont)  # the page's faces are TrueType (`typefaces.py`)
        widths: dict[int, float] = font.cw
        return sum(widths[ord(c)] for c in text) * self.font_size / 1000

    def multi_cell(  # type: ignore[override]
        self, w: float, h: float | None = None, text: str = "", **kwargs: Any
    ) -> Any:
        self.shape_for(text)
        return super().multi_cell(w, h, text, **kwargs)

    def _preload_bidirectional_text(self, text: str, markdown: bool) -> Sequence[Any]:
        """fpdf2's, with the bidirectional runs of each text kept for the process: most of a
        page's Arabic comes back on the next page."""
        if not self.text_shaping:
            return self._preload_font_styles(text, markdown)
        direction = self.text_shaping["direction"]
        direction, segments = _bidi(text, direction, self.str_alias_nb_pages)
        self.text_shaping["paragraph_direction"] = direction
        style = self.font_style
        emphasis = ("B" in style, "I" in style, self.strikethrough, self.underline)
        fragments: list[Any] = []
        for segment, segment_direction in segments:
            self.text_shaping["fragment_direction"] = segment_direction
            fragments.extend(
                self._preload_font_styles(segment, markdown, _initial_emphasis=emphasis)
            )
        return tuple(fragments)


@lru_cache(maxsize=4096)
def _bidi(text: str, direction: Any, alias: str) -> tuple[Any, tuple[tuple[str, Any], ...]]:
    """The paragraph's direction and its runs in display order, by fpdf2's algorithm."""
    direction = direction or auto_detect_base_direction(text)
    paragraph = BidiParagraph(
        text=text, base_direction=direction, preserve_bn_chars=True, alias=alias
    )
    return direction, tuple(paragraph.get_bidi_fragments())


@cache
def template(name: str) -> dict[str, Any]:
    """A template's texts, read once per process."""
    with (TEMPLATES / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def render(pages: list[Payload]) -> bytes:
    """One PDF with a page per payload: `{"kind", "data", "code", "url", "issued_at",
    "version"}` (a class's report cards share one file and its fonts)."""
    pdf = Sheet()
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, 12, 210 - RIGHT)
    furnish(pdf)
    pdf.set_title(" / ".join(sorted({page["title"] for page in pages})))
    pdf.set_creator("Massar")
    # The file depends on its content only: the same document renders to the same bytes.
    pdf.set_creation_date(min(datetime.fromisoformat(page["issued_at"]) for page in pages))
    for page in pages:
        pdf.add_page()
        _letterhead(pdf, page)
        DRAW[page["kind"]](pdf, page)
        _foot(pdf, page)
    return bytes(pdf.output(output_producer_class=Producer))


def _ar(text: str) -> str:
    return f"{text}{ALM}" if text else text


def _fill(text: str, values: dict[str, Any]) -> str:
    return text.format(**values) if "{" in text else text


Colour = tuple[int, int, int]


def _text(pdf: Sheet, size: float, *, bold: bool = False, colour: Colour = (0, 0, 0)) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)


def _fitted(
    pdf: Sheet, width: float, height: float, text: str, align: str, size: float, bold: bool
) -> None:
    """One line of text in `width`, its font made smaller as far as needed (long names of
    levels and subjects)."""
    _text(pdf, size, bold=bold)
    while size > 5 and pdf.width_of(text) > width:
        size -= 0.5
        _text(pdf, size, bold=bold)
    pdf.cell(width, height, text, align=align)


def _pair(pdf: Sheet, y: float, french: str, arabic: str, height: float = 5.0) -> None:
    """French in the left half, Arabic in the right half, on one line."""
    pdf.set_xy(LEFT, y)
    pdf.cell(HALF, height, french, align="L")
    pdf.set_xy(LEFT + HALF, y)
    pdf.cell(HALF, height, _ar(arabic), align="R")


def _letterhead(pdf: Sheet, page: Payload) -> None:
    head = template("letterhead")
    values = {**page["data"]["authority"], **page["data"]["school"]}
    lines = ("ministry", "academy", "directorate", "school")
    _text(pdf, 10.5, bold=True)
    pdf.set_xy(LEFT, 12)
    pdf.cell(78, 5, head["kingdom_fr"], align="C")
    pdf.set_xy(RIGHT - 78, 12)
    pdf.cell(78, 5, _ar(head["kingdom_ar"]), align="C")
    _text(pdf, 7.5)
    for n, line in enumerate(lines):
        y = 18 + n * 4.2
        pdf.set_xy(LEFT, y)
        pdf.cell(78, 4, _fill(head[f"{line}_fr"], values), align="C")
        pdf.set_xy(RIGHT - 78, y)
        pdf.cell(78, 4, _ar(_fill(head[f"{line}_ar"], values)), align="C")
    # The star of the flag, between the two columns.
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(0.8)
    pdf.star(105, 24, 3.2, 8.5, 5, rotate_degrees=-90)
    pdf.set_line_width(0.3)
    pdf.line(LEFT, 37.5, RIGHT, 37.5)
    pdf.set_draw_color(0, 0, 0)


def _title(pdf: Sheet, y: float, french: str, arabic: str, subtitle: tuple[str, str]) -> float:
    _text(pdf, 14, bold=True, colour=GREEN)
    pdf.set_xy(LEFT, y)
    pdf.cell(WIDTH, 7, french, align="C")
    pdf.set_xy(LEFT, y + 7)
    pdf.cell(WIDTH, 7, _ar(arabic), align="C")
    _text(pdf, 9.5)
    _pair(pdf, y + 15, *subtitle)
    return y + 22


def _identity(pdf: Sheet, y: float, rows: list[list[str]], fields: dict[str, Any]) -> float:
    """The pupil's box: each row a French label and value, and the Arabic ones."""
    height = 5.6
    pdf.set_fill_color(*GREY)
    pdf.rect(LEFT, y, WIDTH, height * len(rows) + 2, style="F")
    for n, (label_fr, field_fr, label_ar, field_ar) in enumerate(rows):
        line = y + 1 + n * height
        _text(pdf, 8.5)
        pdf.set_xy(LEFT + 2, line)
        pdf.cell(30, height, label_fr)
        pdf.set_xy(RIGHT - 32, line)
        pdf.cell(30, height, _ar(label_ar), align="R")
        pdf.set_xy(LEFT + 32, line)
        _fitted(pdf, HALF - 34, height, str(fields.get(field_fr) or "—"), "L", 9.5, True)
        pdf.set_xy(LEFT + HALF + 2, line)
        _fitted(pdf, HALF - 34, height, _ar(str(fields.get(field_ar) or "—")), "R", 9.5, True)
    return y + height * len(rows) + 6


def _report_card(pdf: Sheet, page: Payload) -> None:
    card = template("report_card")
    data = page["data"]
    y = _title(
        pdf,
        40,
        _fill(card["title_fr"], data),
        _fill(card["title_ar"], data),
        (_fill(card["year_fr"], data), _fill(card["year_ar"], data)),
    )
    y = _identity(pdf, y, card["identity"], data["pupil"])
    y = _marks_table(pdf, y, card, data)
    _text(pdf, 10, bold=True)
    pdf.set_fill_color(*GREY)
    pdf.rect(LEFT, y, WIDTH, 13, style="F")
    average = data["semester_average"] or "—"
    _pair(
        pdf,
        y + 1,
        f"{card['semester_average_fr']} : {average} / {data['max_mark']}",
        f"{card['semester_average_ar']}: {average} / {data['max_mark']}",
        5.5,
    )
    _text(pdf, 9)
    class_average = data["class_average"] or "—"
    _pair(
        pdf,
        y + 6.8,
        f"{card['class_semester_average_fr']} : {class_average}",
        f"{card['class_semester_average_ar']}: {class_average}",
        5.5,
    )
    _text(pdf, 8.5)
    _pair(pdf, y + 16, _fill(card["absences_fr"], data), _fill(card["absences_ar"], data))
    if data.get("year_end"):
        _year_end(pdf, y + 22, card, data)


def _year_end(pdf: Sheet, y: float, card: dict[str, Any], data: Payload) -> None:
    """The council's decision under the semester's figures, above the signature."""
    end = data["year_end"]
    decision_fr, decision_ar = (_fill(text, end) for text in card["decisions"][end["decision"]])
    average = f"{end['annual_average'] or '—'} / {data['max_mark']}"
    lines = [
        (f"{card['annual_average_fr']} : {average}", f"{card['annual_average_ar']}: {average}"),
        (f"{card['decision_fr']} : {decision_fr}", f"{card['decision_ar']}: {decision_ar}"),
    ]
    pdf.set_draw_color(*GREEN)
    pdf.rect(LEFT, y, WIDTH, 6.5 + 5.5 * (len(lines) + bool(end["remarks"])), style="D")
    pdf.set_draw_color(0, 0, 0)
    _text(pdf, 9, bold=True, colour=GREEN)
    _pair(pdf, y + 0.8, card["year_end_fr"], card["year_end_ar"])
    y += 6
    for french, arabic in lines:
        pdf.set_xy(LEFT + 1, y)
        _fitted(pdf, HALF - 2, 5.5, french, "L", 9, True)
        pdf.set_xy(LEFT + HALF + 1, y)
        _fitted(pdf, HALF - 2, 5.5, _ar(arabic), "R", 9, True)
        y += 5.5
    if end["remarks"]:
        # The council's words, in the one language they were written in.
        remarks = end["remarks"]
        in_arabic = is_arabic(remarks)
        label = card["remarks_ar"] if in_arabic else card["remarks_fr"]
        line = _ar(f"{label}: {remarks}") if in_arabic else f"{label} : {remarks}"
        pdf.set_xy(LEFT + 1, y)
        _fitted(pdf, WIDTH - 2, 5.5, line, "R" if in_arabic else "L", 8.5, False)


def _marks_table(pdf: Sheet, y: float, card: dict[str, Any], data: Payload) -> float:
    """Subjects down, French name on the left and Arabic on the right, tests and averages
    between; only the kinds of test the class sat appear."""
    tests = [t for t in card["tests"] if t[0] in data["test_kinds"]]
    name, number = 40.0, 15.0
    test_width = (WIDTH - 2 * name - 3 * number) / max(len(tests), 1)
    columns: list[tuple[float, str, str]] = [
        (name, card["subject_fr"], ""),
        (number, *card["coefficient"]),
        *((test_width, fr, ar) for _, fr, ar in tests),
        (number, *card["average"]),
        (number, *card["class_average"]),
        (name, "", card["subject_ar"]),
    ]
    pdf.set_fill_color(*GREEN)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    x = LEFT
    _text(pdf, 7, bold=True, colour=(255, 255, 255))
    for width, french, arabic in columns:
        pdf.rect(x, y, width, 9, style="DF")
        pdf.set_xy(x, y + 0.5)
        pdf.cell(width, 4, french, align="C")
        pdf.set_xy(x, y + 4.3)
        pdf.cell(width, 4, _ar(arabic), align="C")
        x += width
    y += 9
    row = 6.2
    for n, subject in enumerate(data["subjects"]):
        cells = [
            (subject["name_fr"], "L"),
            (subject["coefficient"], "C"),
            *((subject["marks"].get(kind) or "", "C") for kind, _, _ in tests),
            (subject["average"] or "—", "C"),
            (subject["class_average"] or "—", "C"),
            (_ar(subject["name_ar"]), "R"),
        ]
        pdf.set_fill_color(*(GREY if n % 2 else (255, 255, 255)))
        x = LEFT
        averages = len(cells) - 3
        for index, ((width, _, _), (value, align)) in enumerate(zip(columns, cells, strict=True)):
            pdf.rect(x, y, width, row, style="DF")
            pdf.set_xy(x + 1, y)
            _fitted(pdf, width - 2, row, value, align, 8.5, index == averages)
            x += width
        y += row
    pdf.set_draw_color(0, 0, 0)
    _text(pdf, 7, colour=(90, 90, 90))
    _pair(pdf, y + 0.5, _fill(card["scale_fr"], data), _fill(card["scale_ar"], data), 4)
    return y + 6


def _school_certificate(pdf: Sheet, page: Payload) -> None:
    certificate = template("school_certificate")
    data = page["data"]
    y = _title(pdf, 48, certificate["title_fr"], certificate["title_ar"], ("", ""))
    _text(pdf, 10)
    _pair(pdf, y, certificate["intro_fr"], certificate["intro_ar"], 6)
    y = _identity(pdf, y + 9, certificate["identity"], data["pupil"])
    for french, arabic in (("body_fr", "body_ar"), ("purpose_fr", "purpose_ar")):
        _text(pdf, 10)
        pdf.set_xy(LEFT, y)
        pdf.multi_cell(WIDTH, 6, _fill(certificate[french], data), align="L")
        pdf.set_xy(LEFT, pdf.get_y() + 1)
        pdf.multi_cell(WIDTH, 6, _ar(_fill(certificate[arabic], data)), align="R")
        y = pdf.get_y() + 5


def _subject_table(
    pdf: Sheet,
    y: float,
    words: dict[str, Any],
    middle: list[tuple[list[str], str]],
    subjects: list[Payload],
) -> float:
    """An exam's subjects down: French name left, Arabic right, `middle` columns (their
    French and Arabic heading, the subject's field) between."""
    name = 60.0
    number = (WIDTH - 2 * name) / len(middle)
    columns: list[tuple[float, str, str]] = [(name, words["subject_fr"], "")]
    columns += [(number, heading[0], heading[1]) for heading, _ in middle]
    columns.append((name, "", words["subject_ar"]))
    pdf.set_fill_color(*GREEN)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    x = LEFT
    _text(pdf, 7.5, bold=True, colour=(255, 255, 255))
    for width, french, arabic in columns:
        pdf.rect(x, y, width, 9, style="DF")
        pdf.set_xy(x, y + 0.5)
        pdf.cell(width, 4, french, align="C")
        pdf.set_xy(x, y + 4.3)
        pdf.cell(width, 4, _ar(arabic), align="C")
        x += width
    y += 9
    row = 6.4
    for n, subject in enumerate(subjects):
        cells = [
            (subject["name_fr"], "L"),
            *((subject[field], "C") for _, field in middle),
            (_ar(subject["name_ar"]), "R"),
        ]
        pdf.set_fill_color(*(GREY if n % 2 else (255, 255, 255)))
        x = LEFT
        for (width, _, _), (value, align) in zip(columns, cells, strict=True):
            pdf.rect(x, y, width, row, style="DF")
            pdf.set_xy(x + 1, y)
            _fitted(pdf, width - 2, row, value, align, 9, False)
            x += width
        y += row
    pdf.set_draw_color(0, 0, 0)
    return y + 2


def _exam_heading(pdf: Sheet, words: dict[str, Any], data: Payload) -> float:
    title_fr, title_ar = words["title_fr"], words["title_ar"]
    if data["resit"] and "resit_fr" in words:
        title_fr, title_ar = (
            f"{title_fr} — {words['resit_fr']}",
            f"{title_ar} — {words['resit_ar']}",
        )
    subtitle = (_fill(words["session_fr"], data), _fill(words["session_ar"], data))
    y = _title(pdf, 40, title_fr, title_ar, subtitle)
    return _identity(pdf, y, words["identity"], data["pupil"])


def _exam_transcript(pdf: Sheet, page: Payload) -> None:
    words = template("exam_transcript")
    data = page["data"]
    y = _exam_heading(pdf, words, data)
    middle = [(words["coefficient"], "coefficient"), (words["mark"], "mark")]
    y = _subject_table(pdf, y, words, middle, data["subjects"])
    _text(pdf, 7, colour=(90, 90, 90))
    _pair(pdf, y, _fill(words["scale_fr"], data), _fill(words["scale_ar"], data), 4)
    y += 7
    decision = words["decisions"].get(data["decision"], ["—", "—"])
    lines = [
        ("exam_average", data["exam_average"] and f"{data['exam_average']} / {data['max_mark']}"),
        ("average", data["average"] and f"{data['average']} / {data['max_mark']}"),
        ("decision", (decision[0], decision[1])),
        ("mention", (data["mention_fr"], data["mention_ar"])),
    ]
    shown = [(key, value) for key, value in lines if value and value != ("", "")]
    pdf.set_fill_color(*GREY)
    pdf.rect(LEFT, y, WIDTH, 6 * len(shown) + 2, style="F")
    _text(pdf, 10, bold=True)
    for n, (key, value) in enumerate(shown):
        french, arabic = value if isinstance(value, tuple) else (value, value)
        _pair(
            pdf,
            y + 1 + 6 * n,
            f"{words[f'{key}_fr']} : {french or '—'}",
            f"{words[f'{key}_ar']}: {arabic or '—'}",
            6,
        )


def _exam_convocation(pdf: Sheet, page: Payload) -> None:
    words = template("exam_convocation")
    data = page["data"]
    _text(pdf, 10)
    y = _exam_heading(pdf, words, data)
    _text(pdf, 10.5, bold=True)
    for key in ("centre", "room", "dates"):
        _pair(pdf, y, _fill(words[f"{key}_fr"], data), _fill(words[f"{key}_ar"], data), 6)
        y += 6.5
    sitting = [(words[key], key) for key in ("day", "time", "duration")]
    y = _subject_table(pdf, y + 2, words, sitting, data["subjects"])
    _text(pdf, 9)
    pdf.set_xy(LEFT, y + 2)
    pdf.multi_cell(WIDTH, 5.5, words["rules_fr"], align="L")
    pdf.set_xy(LEFT, pdf.get_y() + 1)
    pdf.multi_cell(WIDTH, 5.5, _ar(words["rules_ar"]), align="R")


def _foot(pdf: Sheet, page: Payload) -> None:
    """The signature's place, the verification code and its QR code, the issue date."""
    head = template("letterhead")
    values = page
    _text(pdf, 8.5, bold=True)
    pdf.set_xy(RIGHT - 80, 222)
    pdf.cell(80, 5, head["signature_fr"], align="C")
    pdf.set_xy(RIGHT - 80, 227)
    pdf.cell(80, 5, _ar(head["signature_ar"]), align="C")
    pdf.set_draw_color(*GREEN)
    pdf.line(LEFT, 250, RIGHT, 250)
    pdf.set_draw_color(0, 0, 0)
    _qr(pdf, page["url"], LEFT, 253, 30)
    x = LEFT + 33
    _text(pdf, 10, bold=True)
    pdf.set_xy(x, 254)
    pdf.cell(RIGHT - x, 5, _fill(head["code_fr"], values))
    _text(pdf, 7.5)
    pdf.set_xy(x, 260)
    pdf.cell(RIGHT - x, 4, _fill(head["verify_fr"], values))
    pdf.set_xy(x, 264.5)
    pdf.cell(RIGHT - x, 4, _ar(_fill(head["verify_ar"], values)), align="R")
    pdf.set_xy(x, 270)
    pdf.cell((RIGHT - x) / 2, 4, _fill(head["issued_fr"], values))
    pdf.set_xy(x + (RIGHT - x) / 2, 270)
    pdf.cell((RIGHT - x) / 2, 4, _ar(_fill(head["issued_ar"], values)), align="R")
    _text(pdf, 7, colour=(90, 90, 90))
    pdf.set_xy(x, 276)
    pdf.cell((RIGHT - x) / 2, 4, head["massar_fr"])
    pdf.set_xy(x + (RIGHT - x) / 2, 276)
    pdf.cell((RIGHT - x) / 2, 4, _ar(head["massar_ar"]), align="R")


def _qr(pdf: Sheet, url: str, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles, one per run of dark modules: sharp at any zoom.
    Mask 0 rather than the best of eight: any mask reads, and scoring the eight took a
    tenth of a report card's drawing time."""
    matrix = segno.make(url, error="m", micro=False, mask=0).matrix
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, line in enumerate(matrix):
        start = None
        for c, dark in enumerate([*line, 0]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, "F")
                start = None


DRAW = {
    "report_card": _report_card,
    "school_certificate": _school_certificate,
    "exam_transcript": _exam_transcript,
    "exam_convocation": _exam_convocation,
}
