"""Address labels on A4 label sheets: each parcel's address laid onto one label, placed in millimetres.

Sheet layouts are YAML files (page size, margins, pitch, label size, columns, rows): the ones shipped in
nalcoop/data/labels/, and a librarian's own in the `labels` folder beside the per-user ledger, or any file
given by path. An address is written as the destination country writes it on mail from Korea: at home the
postcode, the address and the recipient (귀중); abroad the recipient, the address as recorded and, alone on
the last line in capitals, the country. Text that does not fit is made smaller, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nalcoop.errors import NalcoopError, UsageError
from nalcoop.i18n import _

SHIPPED = Path(__file__).parent / "data" / "labels"
DEFAULT_LAYOUT = "a4-2x7"
_FIELDS = {"page": ("width", "height"), "margins": ("top", "left"), "pitch": ("across", "down"),
           "label": ("width", "height")}


class LayoutError(NalcoopError):
    """A label layout file that cannot be used as it is."""


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    source: Path
    page_width: float
    page_height: float
    top: float
    left: float
    across: float  # from one label's left edge to the next one's
    down: float  # from one label's top edge to the one below
    label_width: float
    label_height: float
    columns: int
    rows: int
    padding: float = 3.0  # kept clear inside each label edge, for a printer that shifts a little

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def cell(self, position: int) -> tuple[float, float, float, float]:
        """The label at `position` on a sheet (0 at the top left, across then down): x, y, width, height in mm."""
        row, column = divmod(position, self.columns)
        return (self.left + column * self.across, self.top + row * self.down, self.label_width, self.label_height)


def user_folder() -> Path:
    """Where a librarian's own layouts go: `labels` beside the per-user ledger."""
    from nalcoop.ledger.files import default_ledger_path

    return default_ledger_path().parent / "labels"


def layout_files() -> dict[str, Path]:
    """Every layout by name: the shipped ones, then the user's (which may replace a shipped one)."""
    found = {}
    for folder in (SHIPPED, user_folder()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.y*ml")):
                found[path.stem] = path
    return found


def find_layout(name_or_path: str | None) -> Layout:
    """A layout by name (shipped or the user's) or by the path of its YAML file."""
    wanted = name_or_path or DEFAULT_LAYOUT
    path = Path(wanted).expanduser()
    if path.suffix.lower() in (".yaml", ".yml"):
        if not path.is_file():
            raise UsageError(_("--layout {wanted}: no such layout file; give the path of a YAML file like those "
                               "in {shipped}").format(wanted=wanted, shipped=SHIPPED))
        return load_layout(path)
    files = layout_files()
    if wanted not in files:
        raise UsageError(_("--layout {wanted}: no such label layout; choose one of {layouts}, or give a YAML "
                           "file (your own layouts go in {folder})").format(
            wanted=wanted, layouts=", ".join(sorted(files)), folder=user_folder()))
    return load_layout(files[wanted])


def load_layout(path: Path) -> Layout:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LayoutError(_("{path}: cannot read this label layout ({why}); copy a shipped one from {shipped} "
                            "and change its figures").format(path=path, why=type(exc).__name__,
                                                             shipped=SHIPPED)) from None
    if not isinstance(data, dict):
        raise LayoutError(_("{path}: a label layout is a YAML mapping like those in {shipped}").format(
            path=path, shipped=SHIPPED))

    def number(section: str, key: str | None = None) -> float:
        value = data.get(section) if key is None else (data.get(section) or {}).get(key)
        where = section if key is None else f"{section}.{key}"
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise LayoutError(_("{path}: {where} must be a number of millimetres (0 or more), not {value}").format(
                path=path, where=where, value=repr(value)))
        return float(value)

    values = {f"{section}.{key}": number(section, key) for section, keys in _FIELDS.items() for key in keys}
    counts = {}
    for key in ("columns", "rows"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise LayoutError(_("{path}: {key} must be a whole number of labels (1 or more), not {value}").format(
                path=path, key=key, value=repr(value)))
        counts[key] = value
    layout = Layout(
        name=str(data.get("name") or path.stem), description=str(data.get("description") or ""), source=path,
        page_width=values["page.width"], page_height=values["page.height"], top=values["margins.top"],
        left=values["margins.left"], across=values["pitch.across"], down=values["pitch.down"],
        label_width=values["label.width"], label_height=values["label.height"], columns=counts["columns"],
        rows=counts["rows"], padding=number("padding") if "padding" in data else 3.0)
    right = layout.left + (layout.columns - 1) * layout.across + layout.label_width
    bottom = layout.top + (layout.rows - 1) * layout.down + layout.label_height
    if right > layout.page_width + 0.05 or bottom > layout.page_height + 0.05:
        raise LayoutError(_("{path}: the labels run off the page ({right} x {bottom} mm on a {width} x {height} mm "
                            "page); check margins, pitch and size").format(
            path=path, right=f"{right:.1f}", bottom=f"{bottom:.1f}", width=f"{layout.page_width:g}",
            height=f"{layout.page_height:g}"))
    if layout.across < layout.label_width - 0.05 or layout.down < layout.label_height - 0.05:
        raise LayoutError(_("{path}: the labels overlap (pitch smaller than the label); pitch is the distance "
                            "from one label's edge to the next one's").format(path=path))
    if 2 * layout.padding >= min(layout.label_width, layout.label_height):
        raise LayoutError(_("{path}: padding {padding} mm leaves no room on a {width} x {height} mm label").format(
            path=path, padding=f"{layout.padding:g}", width=f"{layout.label_width:g}",
            height=f"{layout.label_height:g}"))
    return layout


@dataclass(frozen=True)
class Address:
    """What one label says: the address lines (the first the recipient's or the postcode), and a small line
    that tells the sender which parcel it is."""
    lines: tuple[str, ...]
    emphasis: int  # the index of the line printed in bold (the recipient)
    reference: str


def address_of(label: dict) -> Address:
    """A label row (distribution.label_rows) as the destination country writes an address."""
    body = [line.strip() for line in (label.get("address") or "").splitlines() if line.strip()]
    postcode = (label.get("postcode") or "").strip()
    reference = " · ".join(str(part) for part in (
        label.get("publication"), label.get("issue"), f"{label.get('copies')}부" if label.get("copies") else None,
        f"#{label['parcel']}" if label.get("parcel") else None) if part)
    if label.get("group") == "domestic":
        lines = [f"(우) {postcode}" if postcode else "", *body, f"{label['recipient']} 귀중"]
        lines = [line for line in lines if line]
        return Address(tuple(lines), len(lines) - 1, reference)
    country = str(label.get("country_name") or label.get("country") or "").upper()
    if body and _names_country(body[-1], label.get("country")):
        body = body[:-1]  # the country written into the address as well: once, on its own line
    if postcode and not any(postcode in line for line in body):
        body.append(postcode)
    return Address((label["recipient"], *body, country), 0, reference)


def _names_country(line: str, code: str | None) -> bool:
    from nalcoop import countries

    try:
        return countries.country(line.strip(" .,")).code == code
    except countries.CountryError:
        return False


def write_labels(target: Path, labels: Sequence[dict], layout: Layout, *, skip: int = 0, title: str = "") -> int:
    """Lay `labels` onto sheets of `layout` from position `skip` of the first sheet; the number of pages."""
    from nalcoop import pdf as paper

    if not 0 <= skip < layout.per_sheet:
        raise UsageError(_("--skip {skip}: a {layout} sheet has {count} labels; skip 0 to {last} that are already "
                           "used").format(skip=skip, layout=layout.name, count=layout.per_sheet,
                                          last=layout.per_sheet - 1))
    document = paper.new_document(title or _("labels"))
    document.set_auto_page_break(False)
    pages = 0
    for number, label in enumerate(labels):
        position = (number + skip) % layout.per_sheet
        if number == 0 or position == 0:
            document.add_page(format=(layout.page_width, layout.page_height))
            pages += 1
        _draw(document, layout.cell(position), layout.padding, address_of(label))
    paper.save(document, target)
    return pages


def _draw(document, cell: tuple[float, float, float, float], padding: float, address: Address) -> None:
    from nalcoop import pdf as paper

    x, y, width, height = cell
    inner_width, inner_height = width - 2 * padding, height - 2 * padding
    blocks = [("B" if index == address.emphasis else "", line, 11.0 if index == address.emphasis else 10.0)
              for index, line in enumerate(address.lines)]
    blocks.append(("", address.reference, 6.5))
    _scale, laid = paper.fit(document, blocks, inner_width, inner_height)
    top = y + padding
    for index, (style, size, lines) in enumerate(laid):
        document.set_font(paper.FAMILY, style, size)
        line_height = size * paper.PT * paper.LINE_HEIGHT
        if index == len(laid) - 1:  # the parcel reference sits at the bottom of the label
            top = max(top, y + height - padding - line_height * len(lines))
            document.set_text_color(90)
        for line in lines:
            document.set_xy(x + padding, top)
            document.cell(inner_width, line_height, line)
            top += line_height
        document.set_text_color(0)
