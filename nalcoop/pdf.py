"""PDF for what is printed (label sheets, certificates, packing lists), typeset by fpdf2 in the computer's own
Korean font, in millimetres on A4.

fpdf2 is pure Python (it installs with nalcoop, nothing else to set up), embeds only the glyphs a document uses
from a TrueType/OpenType font or a .ttc collection, and places text in millimetres, which a label sheet needs.
It is imported inside the functions that draw, never by a plain listing. The font is the computer's own:
Malgun Gothic on Windows, Apple SD Gothic Neo on macOS, Noto Sans CJK or Nanum Gothic on Linux;
NALCOOP_FONT names another file (.ttf, .otf or .ttc) to use instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nalcoop.errors import NalcoopError
from nalcoop.i18n import N_, _

FONT_ENV = "NALCOOP_FONT"
FAMILY = "ko"  # the name documents set their font by
INSTALL_HINT = {
    "linux": N_("install a Korean font: on Debian or Ubuntu `sudo apt-get install fonts-noto-cjk`, on Fedora "
                "`sudo dnf install google-noto-sans-cjk-fonts`"),
    "darwin": N_("Apple SD Gothic Neo ships with macOS: check /System/Library/Fonts/AppleSDGothicNeo.ttc"),
    "win32": N_("Malgun Gothic (맑은 고딕) ships with Windows: check C:\\Windows\\Fonts\\malgun.ttf"),
}


class FontMissing(NalcoopError):
    """No Korean font was found to print with."""


@dataclass(frozen=True)
class Face:
    path: Path
    index: int = 0  # the face within a .ttc/.otc collection


@dataclass(frozen=True)
class KoreanFont:
    name: str
    regular: Face
    bold: Face


# (name, regular file, bold file): the fonts each system ships, first found wins.
_WINDOWS_FONTS = Path(os.environ.get("WINDIR", "C:\\Windows")) / "Fonts"
CANDIDATES: tuple[tuple[str, Path, Path], ...] = (
    ("Malgun Gothic", _WINDOWS_FONTS / "malgun.ttf", _WINDOWS_FONTS / "malgunbd.ttf"),
    ("Apple SD Gothic Neo", Path("/System/Library/Fonts/AppleSDGothicNeo.ttc"),
     Path("/System/Library/Fonts/AppleSDGothicNeo.ttc")),
    ("Noto Sans CJK KR", Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
     Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")),
    ("Noto Sans CJK KR", Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
     Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc")),
    ("Noto Sans CJK KR", Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
     Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc")),
    ("Noto Sans KR", Path("/usr/share/fonts/opentype/noto/NotoSansKR-Regular.otf"),
     Path("/usr/share/fonts/opentype/noto/NotoSansKR-Bold.otf")),
    ("Nanum Gothic", Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
     Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf")),
)


@cache
def korean_font() -> KoreanFont:
    """The computer's Korean font, regular and bold (the regular face again where there is no bold)."""
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file() or path.suffix.lower() not in (".ttf", ".otf", ".ttc", ".otc"):
            raise FontMissing(_("{FONT_ENV}={chosen}: not a font file (.ttf, .otf or .ttc); name a "
                                "Korean font file or unset {FONT_ENV}").format(FONT_ENV=FONT_ENV, chosen=chosen))
        face = Face(path, _face_index(path, bold=False))
        return KoreanFont(path.stem, face, face)
    for name, regular, bold in CANDIDATES:
        if regular.is_file():
            bold = bold if bold.is_file() else regular
            return KoreanFont(name, Face(regular, _face_index(regular, bold=False)),
                              Face(bold, _face_index(bold, bold=True)))
    found = _fontconfig_korean()
    if found is not None:
        return found
    hint = INSTALL_HINT.get(sys.platform, INSTALL_HINT["linux"])
    raise FontMissing(_("no Korean font found to print with; {hint} (or set {FONT_ENV} to a font file)").format(
        hint=_(hint), FONT_ENV=FONT_ENV))


def _fontconfig_korean() -> KoreanFont | None:
    """A Korean font that fontconfig knows of, where the usual files are elsewhere (Linux, BSD)."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listed = subprocess.run(["fc-list", ":lang=ko", "file", "style"], capture_output=True, text=True,
                                timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    regular = bold = None
    for line in sorted(listed.splitlines()):
        file, _sep, style = line.partition(":")
        path = Path(file.strip())
        if path.suffix.lower() not in (".ttf", ".otf", ".ttc", ".otc") or "mono" in path.name.lower():
            continue
        if "bold" in style.lower() and bold is None:
            bold = path
        elif "regular" in style.lower() and regular is None:
            regular = path
    if regular is None:
        return None
    bold = bold or regular
    return KoreanFont(regular.stem, Face(regular, _face_index(regular, bold=False)),
                      Face(bold, _face_index(bold, bold=True)))


def _face_index(path: Path, *, bold: bool) -> int:
    """In a collection, the Korean face (Noto Sans CJK KR, not JP or the Mono one) of the right weight."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    best, best_score = 0, -1
    with TTCollection(str(path), lazy=True) as collection:
        for index, font in enumerate(collection.fonts):
            family = (font["name"].getDebugName(1) or "").lower()
            style = (font["name"].getDebugName(2) or "").lower()
            score = (4 if " kr" in family or "korean" in family or "gothic neo" in family else 0) \
                + (2 if "mono" not in family else 0) + (1 if ("bold" in style) == bold else 0)
            if score > best_score:
                best, best_score = index, score
    return best


def new_document(title: str, *, orientation: str = "portrait", footer=None):
    """An A4 document in millimetres with the Korean font as family `ko` (B for bold), no automatic breaks.
    `footer(document)`, if given, draws each page's footer ({nb} in its text is the number of pages)."""
    from fpdf import FPDF

    font = korean_font()
    document_class = FPDF if footer is None else type("Document", (FPDF,), {"footer": lambda self: footer(self)})
    pdf = document_class(orientation=orientation, unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("nalcoop")
    pdf.add_font(FAMILY, "", str(font.regular.path), collection_font_number=font.regular.index)
    pdf.add_font(FAMILY, "B", str(font.bold.path), collection_font_number=font.bold.index)
    pdf.set_font(FAMILY, size=10)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0  # widths given are the text's own: a label's padding is the layout's
    return pdf


def heading_style():
    """The style of a table's heading row: bold, on a light grey."""
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(235, 235, 235))


def wrapped(pdf, text: str, width: float) -> list[str]:
    """`text` broken into the lines that fit `width` mm at the current font: at spaces where it can, inside a
    word (a long Korean name, an e-mail) where it must."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            continue
        lines.extend(pdf.multi_cell(width, 1, paragraph, dry_run=True, output="LINES", wrapmode="WORD"))
    return lines


LINE_HEIGHT = 1.25  # a line's height as a multiple of the font size
PT = 25.4 / 72  # one point in millimetres


def fit(pdf, blocks: list[tuple[str, str, float]], width: float, height: float, *, smallest: float = 4.0
        ) -> tuple[float, list[tuple[str, float, list[str]]]]:
    """The scale at which `blocks` (style, text, size in points) wrapped to `width` fill at most `height` mm,
    and the wrapped lines of each block at that scale. Text is shrunk, never cut: the scale goes down until
    everything fits, to a `smallest` size that a label printer still prints, and below it if it must."""
    scale = 1.0
    while True:
        laid = []
        total = 0.0
        for style, text, size in blocks:
            pdf.set_font(FAMILY, style, size * scale)
            lines = wrapped(pdf, text, width)
            laid.append((style, size * scale, lines))
            total += len(lines) * size * scale * PT * LINE_HEIGHT
        widest = max((pdf.get_string_width(line) for _, size, lines in laid for line in lines), default=0.0)
        if total <= height and widest <= width + 0.01:
            return scale, laid
        if min(size for _, _, size in blocks) * scale <= 1.0:  # nothing left to shrink: print it as it is
            return scale, laid
        scale *= 0.92 if min(size for _, _, size in blocks) * scale > smallest else 0.97


def save(pdf, target: Path) -> None:
    """Write the document through the renderer's atomic output (owner-only: labels hold addresses)."""
    from nalcoop.render import atomic_output

    with atomic_output(target) as temporary:
        pdf.output(str(temporary))


def label_of(vocabulary, code: str | None) -> str | None:
    """The label a printed document shows for a coded value (a library's type, a donation's reason): its
    word in the language of the run (Korean by default) from the list's vocabulary. A value outside the
    vocabulary (free text, or no vocabulary) is shown as it is. The one look-up for printed documents."""
    if code is None or vocabulary is None or code not in vocabulary:
        return code
    from nalcoop.i18n import current

    return vocabulary.label(code, current())
