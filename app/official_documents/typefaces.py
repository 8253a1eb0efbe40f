"""The typefaces of the pages, read once per rendering process.

fpdf2 parses a font file again for every document (`add_font`), and at output it cuts the
glyphs the document used out of the font and compiles them anew (fontTools' subsetter):
together two thirds of a single report card's drawing time. Here each process parses the
two faces once and lends each document a copy that shares the parsed font and its HarfBuzz
face, with its own record of the glyphs used. At output the document embeds a subset cut
once per process: every glyph that the Latin and Arabic letters, digits and punctuation of
the pages can shape to. A report card uses a part of it, so a single document's file is
larger (about 110 KB instead of 40 KB: the subset is 35 KB compressed per face), and a class
in one file shares it. A glyph outside it (a rare letter in a name) gets a subset of its
own, cut once and kept for the next documents.

The embedded subset depends only on the glyphs used, so the same document still renders to
the same bytes, in any process.

The shaping of a text (HarfBuzz, then fpdf2's glyph runs) is kept too, per face, text and
size: the letterhead, headings and labels come back on every page. With the bidirectional
runs kept by `rendering.Sheet`, a single report card draws in about a third of the time.
"""

from __future__ import annotations

import copy
from collections import namedtuple
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import fontpkg_ibm_plex_sans_arabic
import fpdf.output
from fontTools import subset as ftsubset  # type: ignore[import-untyped]
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer

FONTS = Path(fontpkg_ibm_plex_sans_arabic.ROOT) / "files"
FAMILY = "plex"
FACES = {"": FONTS / "IBMPlexSansArabic-Regular.ttf", "B": FONTS / "IBMPlexSansArabic-Bold.ttf"}

# What the pages write: French (Latin-1 and the œ of "cœur"), Arabic letters with their
# marks, the Maghrebi letters of some names (ڤ ڭ ڨ), digits of both scripts, punctuation, and
# the direction marks that end the Arabic runs.
CHARACTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    0x152,
    0x153,
    0x178,
    *range(0x621, 0x656),
    *range(0x660, 0x66A),
    0x60C,
    0x61B,
    0x61C,
    0x61F,
    0x640,
    0x6A4,
    0x6A8,
    0x6AD,
    0x200E,
    0x200F,
    0x2013,
    0x2014,
    0x2019,
    0x201C,
    0x201D,
    0x2026,
]

# fpdf2's own choice for embedded fonts (`OutputProducer._add_fonts`): the layout tables
# have done their work once the text is shaped.
DROPPED = ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "SVG ", "CPAL", "COLR"]
DROPPED += ["CBDT", "CBLC", "EBDT", "EBLC", "EBSC"]
LAYOUT = {"GDEF", "GPOS", "GSUB"}  # what the closure of the glyphs follows


class Face(TTFFont):
    """A face whose shaping is kept for the life of the process: the pages repeat most of
    their Arabic (the letterhead, headings, labels) from one document to the next."""

    __slots__ = ()

    def shape_text(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> Sequence[dict[str, Any]]:
        """fpdf2's glyph runs for the text, their glyphs numbered in this document's subset."""
        return [
            {**run, "mapped_char": self.subset.pick_glyph(glyph)}
            for glyph, run in _runs(self.fontkey, text, font_size_pt, *_key(text_shaping_params))
        ]

    def perform_harfbuzz_shaping(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> Any:
        return _shaped(self.fontkey, text, font_size_pt, *_key(text_shaping_params))


def _key(params: dict[str, Any] | None) -> tuple[Any, ...]:
    """What of fpdf2's shaping parameters changes the shaping, as a key of the caches."""
    params = params or {}
    features = tuple(sorted((params.get("features") or {}).items()))
    return params.get("fragment_direction"), params.get("script"), params.get("language"), features


def _params(direction: Any, script: Any, language: Any, features: Any) -> dict[str, Any]:
    return {
        "fragment_direction": direction,
        "script": script,
        "language": language,
        "features": dict(features),
    }


@lru_cache(maxsize=4096)
def _runs(
    key: str, text: str, size: float, *shaping: Any
) -> tuple[tuple[Any, dict[str, Any]], ...]:
    """fpdf2's `shape_text` on the process's face, each run with the glyph it draws (the
    face's own subset numbers them; each document renumbers them in its own)."""
    face = _faces()[key]
    runs = TTFFont.shape_text(face, text, size, _params(*shaping))
    glyphs = {number: glyph for glyph, number in face.subset.items()}
    return tuple((glyphs[run["mapped_char"]], run) for run in runs)


Glyph = namedtuple("Glyph", "codepoint cluster")
Advance = namedtuple("Advance", "x_advance y_advance x_offset y_offset")


@lru_cache(maxsize=4096)
def _shaped(
    key: str, text: str, size: float, *shaping: Any
) -> tuple[tuple[Glyph, ...], tuple[Advance, ...] | None]:
    """HarfBuzz's glyphs and advances for a run, as fpdf2's `perform_harfbuzz_shaping`
    makes them, kept as plain tuples."""
    face = _faces()[key]
    infos, positions = TTFFont.perform_harfbuzz_shaping(face, text, size, _params(*shaping))
    # HarfBuzz has no positions for an empty run, which fpdf2 reads as None.
    return (
        tuple(Glyph(info.codepoint, info.cluster) for info in infos or ()),
        tuple(Advance(p.x_advance, p.y_advance, p.x_offset, p.y_offset) for p in positions)
        if positions is not None
        else None,
    )


@cache
def _faces() -> dict[str, TTFFont]:
    """The process's parsed faces, by fpdf2's font key, with their HarfBuzz faces made."""
    holder = FPDF()
    for style, path in FACES.items():
        holder.add_font(FAMILY, style, path)
    faces = {key: font for key, font in holder.fonts.items() if isinstance(font, TTFFont)}
    for font in faces.values():
        font.__class__ = Face
        font.hbfont  # noqa: B018 - made now, so that every copy shares it
    return faces


def furnish(pdf: FPDF) -> None:
    """Give a new document the process's faces, as `add_font` would but without parsing."""
    for key, face in _faces().items():
        font = copy.copy(face)
        font.i = len(pdf.fonts) + 1
        font.desc = copy.copy(face.desc)  # numbered as an object of this document's file
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        pdf.fonts[key] = font


@cache
def _common(path: Path) -> frozenset[str]:
    """The glyphs that `CHARACTERS` can shape to in this face (fontTools' closure over the
    layout features that HarfBuzz applies by default)."""
    face = ttLib.TTFont(path, recalcTimestamp=False)
    options = ftsubset.Options()
    options.drop_tables += DROPPED[:]
    options.drop_tables = [t for t in options.drop_tables if t not in LAYOUT]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=CHARACTERS)
    subsetter.subset(face)
    return frozenset(face.getGlyphOrder())


@lru_cache(maxsize=16)
def _cut(path: Path, glyphs: frozenset[str]) -> tuple[bytes, dict[str, int]]:
    """The face cut to these glyphs, as the file's bytes and the new number of each glyph."""
    face = ttLib.TTFont(path, recalcTimestamp=False, recalcBBoxes=False)
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
    options.drop_tables += DROPPED
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=sorted(glyphs))
    subsetter.subset(face)
    output = BytesIO()
    face.save(output)
    return output.getvalue(), {name: n for n, name in enumerate(face.getGlyphOrder())}


class Embedded:
    """What fpdf2's output step asks of a font being embedded (`getGlyphID`, `save`,
    `close`), from a cut of the face that this process keeps."""

    def __init__(self, path: Path, used: Iterable[str]) -> None:
        common = _common(path)
        used = frozenset(used)
        self.data, self.numbers = _cut(path, common if used <= common else common | used)

    def getGlyphID(self, name: str) -> int:  # noqa: N802 - fontTools' name
        return self.numbers[name]

    def save(self, output: IO[bytes]) -> None:
        output.write(self.data)

    def close(self) -> None:
        """The cut stays open for the next documents."""


class _Subsetter(ftsubset.Subsetter):  # type: ignore[misc]
    """fontTools' subsetter, which an `Embedded` face does not need: it is cut already."""

    def subset(self, font: Any) -> None:
        if not isinstance(font, Embedded):
            super().subset(font)


# fpdf2's output step subsets with the module it imported; this process's documents embed
# `Embedded` faces, which that step must leave as they are.
fpdf.output.ftsubset = SimpleNamespace(Options=ftsubset.Options, Subsetter=_Subsetter)  # type: ignore[attr-defined]


class Producer(OutputProducer):
    """fpdf2's output, embedding each face from the process's cuts."""

    def _add_fonts(self, *args: Any) -> Any:
        shared: dict[TTFFont, Any] = {}
        for font in self.fpdf.fonts.values():
            if isinstance(font, TTFFont):
                shared[font] = font.ttfont
                font.ttfont = Embedded(font.ttffile, font.subset.get_all_glyph_names())
        try:
            return super()._add_fonts(*args)
        finally:
            for font, face in shared.items():
                font.ttfont = face
