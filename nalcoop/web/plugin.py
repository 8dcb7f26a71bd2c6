"""nalcoop's Datasette plugin: the statistics function of the canned queries on every connection, coded values
shown with their labels, and column titles in the display language in the table headers."""

from __future__ import annotations

import json

from datasette import hookimpl
from markupsafe import Markup, escape

from nalcoop.web import site
from nalcoop.web.figures import FUNCTION, function_for

LANG = {"lang": "ko"}  # the server's display language, set once by nalcoop.web.server before it starts
_VOCABULARIES: dict = {}
_DIMENSIONS: dict = {}


def _vocabularies() -> dict:
    if not _VOCABULARIES:
        _VOCABULARIES.update(site.vocabularies())
    return _VOCABULARIES


def _dimension_label(value: str, lang: str) -> str | None:
    """'total', 'level', 'province' … of a canned query's first column, in words."""
    if value == "total":
        return "합계" if lang == "ko" else "total"
    if not _DIMENSIONS:
        from nalcoop.activities import ACTIVITIES

        for activity in ACTIVITIES:
            for statistic in activity.load_module().STATISTICS:
                for term in statistic.dimensions.terms:
                    _DIMENSIONS.setdefault(term.code, term)
    term = _DIMENSIONS.get(value)
    return term.label(lang) if term is not None else None


@hookimpl
def prepare_connection(conn, database, datasette):
    path = datasette.databases[database].path if database in datasette.databases else None
    if path:
        conn.create_function(FUNCTION, 5, function_for(path))


@hookimpl
def extra_template_vars(template, database, table, columns, view_name, request, datasette):
    """`nalcoop_titles`: each table's title by its name, for the index and database pages."""
    lang = LANG["lang"]
    return {"nalcoop_titles": {name: entry[0 if lang == "ko" else 1] for name, entry in site.TABLES.items()}}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    lang = LANG["lang"]
    if table is None and column in ("dimension", "by") and isinstance(value, str):
        shown = _dimension_label(value, lang)
    elif table is None and column == "group" and isinstance(value, str):
        from nalcoop.registry import LEVELS

        everything = {"all councils": ("전체 의회", "all councils"), "total": ("합계", "total")}.get(value)
        shown = everything[0 if lang == "ko" else 1] if everything else site.label(LEVELS, value, lang)
    else:
        vocabulary = _vocabularies().get((table, column))
        shown = site.label(vocabulary, value, lang) if vocabulary is not None else None
    if shown is None or shown == value:
        return None
    return Markup(f'<span title="{escape(value)}">{escape(shown)}</span>')


@hookimpl
def extra_body_script(template, database, table, columns, view_name, request, datasette):
    """Each column's title in the display language over its header (the name stays in the address, the
    JSON and the CSV; sorting and facets keep working on it)."""
    if not columns:
        return None
    titles = {column: site.column_title(column, LANG["lang"]) for column in columns}
    titles = {column: title for column, title in titles.items() if title != column}
    if not titles:
        return None
    return ("(function(titles){document.querySelectorAll('table.rows-and-columns th').forEach(function(th){"
            "var name=th.getAttribute('data-column')||th.textContent.trim();if(!(name in titles))return;"
            "var target=th.querySelector('a')||th;"
            "for(var node of target.childNodes){if(node.nodeType===3&&node.textContent.trim().indexOf(name)===0){"
            "node.textContent=node.textContent.replace(name,titles[name]);th.title=name;break;}}});})("
            + json.dumps(titles, ensure_ascii=False) + ");")
