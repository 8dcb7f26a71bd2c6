"""Issue 16: the activity list is the one place that names every activity, and every activity's statistics
have one shape (`stats(conn, by, span) -> Breakdown`). A sixth, made-up activity — a module and one entry in
the list — shows up in `nalcoop check`, the overview, the annual workbook and `nalcoop stats` with no other
file touched."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nalcoop import activities, checks, overview, report
from nalcoop.activities import ACTIVITIES, Activity
from nalcoop.breakdown import Breakdown, Span, Statistic
from nalcoop.ledger.store import Ledger
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import Term, Vocabulary

NALCOOP = Path(__file__).resolve().parent.parent / "nalcoop"


def _made_up_module() -> types.ModuleType:
    """A sixth activity: exhibitions lent, counted per year; one invariant problem to report."""
    module = types.ModuleType("nalcoop_test_exhibitions")
    dimensions = Vocabulary("exhibition statistics dimension",
                            [Term("year", "연도", "year"), Term("city", "시", "city")])
    lent = Statistic("exhibitions", (Column("by"), Column("group"), Column("lent", kind="int")), dimensions,
                     measure="lent", noun="exhibitions", title="exhibitions lent {span}, by {by}")
    module.STATISTICS = (lent,)

    def stats(conn, by, span):
        return Breakdown(lent, by, {"by": "total", "group": "total", "lent": 3},
                         [{"by": by, "group": "2025", "lent": 3}])

    module.stats = stats
    module.headline = lambda figures, period: [("lent", "all", figures(stats, "year", Span(period.start,
                                                                                            period.end)).total["lent"],
                                                False)]
    module.report_sheets = lambda figures, period: [SheetSpec(
        "Exhibitions", "Exhibitions lent", "by year", figures(stats, "year", Span(period.start, period.end)).rows(),
        list(lent.columns), ChartSpec("Lent per year", ("by", "year"), "group", "lent"))]
    module.invariant_problems = lambda conn: ["exhibition 7 was lent twice on 2025-03-01"]
    return module


@pytest.fixture
def sixth(monkeypatch):
    module = _made_up_module()
    monkeypatch.setitem(sys.modules, module.__name__, module)
    entry = Activity("exhibitions", module.__name__, "exhibition", "nalcoop_test_exhibitions:app",
                     "Exhibitions lent to local libraries.", statistics="Exhibitions lent, by --by.",
                     by_help="year or city.")
    monkeypatch.setattr(activities, "ACTIVITIES", (*ACTIVITIES, entry))
    return entry


def test_a_sixth_activity_needs_only_its_module_and_one_entry(sixth, db_path):
    ledger = Ledger.open(db_path)
    try:
        results = {result.name: result for result in checks.run_checks(ledger.conn)}
        assert "exhibition 7 was lent twice on 2025-03-01" in results["exhibitions"].problems

        rows = overview.headline(ledger.conn, overview.year_period(2025))
        assert {"activity": "exhibitions", "measure": "lent", "dimension": "all", "value": 3,
                "from": "2025-01-01", "to": "2025-12-31", "as_of": None} in rows

        sheets = report.annual_sheets(ledger.conn, 2025, [("ledger", "test")], today="2026-12-06")
        names = [sheet.name for sheet in sheets]
        assert names.index("Exhibitions") == len(names) - 2  # after the five, before the sources
    finally:
        ledger.close()


def test_a_sixth_activity_gets_itsstats_command_from_the_list(sixth, db_path):
    from nalcoop.commands import stats as stats_commands

    app = typer.Typer()
    app.command(sixth.name)(stats_commands.stats_command(sixth))  # as the stats group makes each of its own
    root = typer.Typer()
    root.add_typer(app, name="stats")

    @root.callback()
    def main(ctx: typer.Context) -> None:
        from nalcoop.commands.common import State

        ctx.obj = State(db=str(db_path))

    result = CliRunner().invoke(root, ["stats", "exhibitions", "--year", "2025", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["by,group,lent", "total,total,3", "year,2025,3"]
    helped = CliRunner().invoke(root, ["stats", "exhibitions", "--help"])
    assert "Exhibitions lent, by --by." in helped.stdout and "year or city." in helped.stdout


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda activity: activity.name)
def test_every_activity_answers_stats_with_a_breakdown_in_its_declared_columns(activity, db_path):
    module = activity.load_module()
    ledger = Ledger.open(db_path)
    try:
        for statistic in module.STATISTICS:
            span = Span.as_of("2025-12-31") if statistic.day else Span("2025-01-01", "2025-12-31")
            for by in statistic.dimensions:
                breakdown = module.stats(ledger.conn, by, span)
                assert isinstance(breakdown, Breakdown) and breakdown.statistic is statistic and breakdown.by == by
                declared = {column.key for column in statistic.columns}
                for row in breakdown.rows():
                    assert set(row) <= declared, f"{activity.name} {statistic.table} by {by}: {set(row) - declared}"
                if breakdown.total is not None:
                    assert breakdown.total[statistic.key] == "total"
                assert all(row[statistic.key] != "total" for row in breakdown.groups)
    finally:
        ledger.close()


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda activity: activity.name)
def test_every_activity_module_has_what_the_list_promises(activity):
    module = activity.load_module()
    for name in ("STATISTICS", "stats", "headline", "report_sheets", activity.invariants):
        assert hasattr(module, name), f"{activity.module} has no {name}"
    assert activity.statistics and activity.by_help
    assert isinstance(module.STATISTICS[0], Statistic) and not module.STATISTICS[0].day


def test_no_module_but_the_list_names_every_activity():
    """Outside nalcoop/activities.py, no module of nalcoop/ imports all five activity modules."""
    names = [activity.module.rsplit(".", 1)[1] for activity in ACTIVITIES]
    for path in NALCOOP.rglob("*.py"):
        if path.name == "activities.py":
            continue
        text = path.read_text(encoding="utf-8")
        imported = {name for name in names
                    if re.search(rf"^\s*(from nalcoop import .*\b{name}\b|from nalcoop\.{name} import|"
                                 rf"import nalcoop\.{name}\b)", text, flags=re.M)}
        assert len(imported) < len(names), f"{path.relative_to(NALCOOP)} names every activity: {sorted(imported)}"


@pytest.mark.parametrize(("activity", "word", "code"), [("donations", "연도", "year"), ("network", "종류", "kind"),
                                                        ("interns", "대학", "university")])
def test_stats_by_takes_the_korean_word_of_a_dimension(cli, activity, word, code):
    typed = cli("stats", activity, "--by", word, "--format", "csv").stdout
    assert typed == cli("stats", activity, "--by", code, "--format", "csv").stdout
    assert typed.splitlines()[0].startswith("by,group,")
