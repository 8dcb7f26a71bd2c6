"""Column maps and headers: a YAML map names and types the columns; the header is found by it, one row or two
where the upper row's merged cells group the lower ones, even below title rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.importer.records import (
    FIELD_TYPES,
    HEADER_SCAN_ROWS,
    ColumnMap,
    FieldSpec,
    ImportFileError,
    normalize_choice,
    normalize_header,
)
from nalcoop.importer.values import _cell_text

# ---------------------------------------------------------------- column maps


def load_map(name_or_path: str | Path, *, like: str | None = None) -> ColumnMap:
    """A shipped map by name (nalcoop/data/maps/NAME.yaml) or a user's YAML file.

    A user's map standing in for the shipped map `like` must have every field that map requires
    (the import reads them), or it is refused in one line naming the field.
    """
    import yaml

    from nalcoop.names import nfc

    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml"):
        if not path.is_file():
            raise ImportFileError(_("column map {path} does not exist").format(path=path))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(_("column map {path} is not UTF-8 text; save it as UTF-8 and try again").format(
                path=path)) from None
        except OSError as exc:
            raise ImportFileError(_("cannot read column map {path}: {strerror}").format(
                path=path, strerror=exc.strerror)) from None
        text = nfc(text)  # a map saved on a Mac may hold its Korean headers decomposed
        label = str(path)
    else:
        from importlib import resources  # not at the top: it costs a short command more than the rest

        text = resources.files("nalcoop").joinpath(f"data/maps/{name_or_path}.yaml").read_text("utf-8")
        label = str(name_or_path)
    try:
        data = yaml.load(text, Loader=_plain_yaml_loader())  # noqa: S506 - a SafeLoader without anchors
        column_map = _map_from_data(label, data)
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as exc:
        why = " ".join(str(exc).split())  # PyYAML's messages run over several lines
        raise ImportFileError(_("column map {label} is not valid: {why}").format(label=label, why=why)) from None
    if like is not None and label != like:
        needed = [spec for spec in load_map(like).fields if spec.required]
        have = {spec.name for spec in column_map.fields}
        for spec in needed:
            if spec.name not in have:
                raise ImportFileError(_("column map {label} has no field '{field}' ({label2}), which this "
                                        "import needs; start from a copy of nalcoop/data/maps/{like}.yaml").format(
                    label=label, field=spec.name, label2=spec.label, like=like))
    return column_map


def _plain_yaml_loader():
    """PyYAML's SafeLoader refusing anchors and aliases: a column map never needs them, and a few hundred
    bytes of nested aliases ("billion laughs") expand to gigabytes."""
    import yaml

    class PlainLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise yaml.YAMLError(_("it uses a YAML anchor or alias (&, *) on line {line}; write each value out "
                                       "in full").format(line=event.start_mark.line + 1))
            return super().compose_node(parent, index)

    return PlainLoader


def _map_from_data(label: str, data: dict) -> ColumnMap:
    specs = []
    for name, spec in data["fields"].items():
        kind = spec.get("type", "text")
        if kind not in FIELD_TYPES:
            raise ValueError(_("field {name}: unknown type {kind}").format(name=name, kind=kind))
        choices: dict[str, str] = {}
        for value, spellings in (spec.get("choices") or {}).items():
            for spelling in [value, *(spellings or [])]:
                choices[normalize_choice(spelling)] = value
        aliases = tuple(str(alias) for alias in [name, *(spec.get("headers") or [])])
        minimum = spec.get("min")
        if minimum is not None and (kind != "int" or not isinstance(minimum, int)):
            raise ValueError(_("field {name}: min is for int fields and must be a whole number").format(name=name))
        counters = tuple(str(counter).lower() for counter in spec.get("counters") or ())
        if counters and kind != "int":
            raise ValueError(_("field {name}: counters are for int fields").format(name=name))
        specs.append(FieldSpec(name, aliases, kind, bool(spec.get("required")), choices, spec.get("label", name),
                               str(spec.get("label_ko") or ""), minimum, counters))
    if not specs:
        raise ValueError(_("no fields"))
    return ColumnMap(label, tuple(specs))


# ---------------------------------------------------------------- headers


@dataclass
class Header:
    """Where a sheet's header is: its first row (0-based), how many rows it takes (1 or 2), each mapped field's
    column positions, the label of each position ("추진 일자/요청일" for a grouped one) and what was left out."""

    index: int
    height: int
    mapping: dict[str, list[int]]
    labels: dict[int, str]
    ignored: list[str]


def _header_lookup(column_map: ColumnMap) -> dict[str, str]:
    """Normalised header -> field. A two-row alias "추진 일자 > 요청일" normalises to the group and the column
    run together, which is how a two-row header's cells are looked up first."""
    return {normalize_header(alias): spec.name for spec in column_map.fields for alias in spec.aliases}


def _find_header(rows: list[list], column_map: ColumnMap, merges=()) -> Header | None:
    """The header that names the most fields, every required one among them: one row, or two where merged cells
    of the upper row group the columns below them (the pair wins a tie with its lower row, so grouped
    columns keep their group's name)."""
    lookup = _header_lookup(column_map)
    required = [spec.name for spec in column_map.fields if spec.required]
    copies = _copied_across(merges)
    best = None
    for index, row in enumerate(rows):
        candidates = [(1, {p: [_cell_text(v)] for p, v in enumerate(row) if (index, p) not in copies})]
        if index + 1 < len(rows) and _groups_below(index, rows[index + 1], merges):
            candidates.append((2, _two_row_labels(index, row, rows[index + 1], copies)))
        for height, keys in candidates:
            header = _match_header(index, height, keys, lookup)
            complete = header.mapping and all(name in header.mapping for name in required)
            if complete and (best is None or len(header.mapping) > len(best.mapping)):
                best = header
    return best


def _copied_across(merges) -> set[tuple[int, int]]:
    """Header-area cells that hold a copy of a merged cell to their left: one column's header, not several."""
    return {(row, column) for top, left, bottom, right in merges if top < HEADER_SCAN_ROWS and right > left
            for row in range(top, min(bottom, HEADER_SCAN_ROWS) + 1) for column in range(left + 1, right + 1)}


def _groups_below(index: int, lower: list, merges) -> bool:
    """Whether a merged cell of row `index` spans two or more labelled columns of the row below, without being a
    title merged over the whole table."""
    labelled = {p for p, v in enumerate(lower) if _cell_text(v)}
    for top, left, bottom, right in merges:
        if top == index and bottom == index and right > left:
            under = {p for p in labelled if left <= p <= right}
            if len(under) >= 2 and not labelled <= under:
                return True
    return False


def _two_row_labels(index: int, upper: list, lower: list, copies) -> dict[int, list[str]]:
    """Each column's header texts, most specific first: "group > column", then the column, then the group
    (for a column merged down, or one with nothing below)."""
    labels: dict[int, list[str]] = {}
    for position in range(max(len(upper), len(lower))):
        top = _cell_text(upper[position]) if position < len(upper) else ""
        bottom = _cell_text(lower[position]) if position < len(lower) else ""
        if bottom and top and bottom != top:
            labels[position] = [f"{top}/{bottom}", bottom, top]
        elif bottom and (index + 1, position) not in copies:
            labels[position] = [bottom]
        elif top and not bottom and (index, position) not in copies:
            labels[position] = [top]
    return labels


def _match_header(index: int, height: int, keys: dict[int, list[str]], lookup: dict[str, str]) -> Header:
    mapping: dict[str, list[int]] = {}
    labels: dict[int, str] = {}
    ignored: list[str] = []
    for position, texts in keys.items():
        if not texts or not texts[0]:
            continue
        for text in texts:
            name = lookup.get(normalize_header(text)) or lookup.get(
                normalize_header(re.sub(r"\(.*?\)|\[.*?\]", "", text))
            )
            if name:
                mapping.setdefault(name, []).append(position)
                labels[position] = texts[0]
                break
        else:
            if texts[0] not in ignored:
                ignored.append(texts[0])
    return Header(index, height, mapping, labels, ignored)


def _nearly_a_header(rows: list[list], column_map: ColumnMap) -> tuple[int, list[FieldSpec]] | None:
    """The row that looks most like a header but lacks a needed column: (its index, the fields it lacks)."""
    lookup = {normalize_header(alias): spec.name for spec in column_map.fields for alias in spec.aliases}
    nearest = None
    for index, row in enumerate(rows):
        found = {lookup[key] for key in (normalize_header(_cell_text(value)) for value in row) if key in lookup}
        if len(found) >= 2 and (nearest is None or len(found) > len(nearest[1])):
            nearest = (index, found)
    if nearest is None:
        return None
    return nearest[0], [spec for spec in column_map.fields if spec.required and spec.name not in nearest[1]]
