"""The public accountability table (/stats) and its CSV download."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from xtq import clock
from xtq.domain import departments, figures, monthly, office
from xtq.domain.config import settings
from xtq.domain.figures import FIGURES, FIGURES_BY_KEY, Figures, Period, Scope
from xtq.models import Department, DeptGroup
from xtq.web import charts

bp = Blueprint("stats", __name__)

DEFAULT_SORT = "replied_on_time"
Row = tuple[Department, Figures]


@dataclass(frozen=True)
class Choice:
    """What the reader picked: a group (or the whole city), a period, a figure and an order."""

    group: DeptGroup | None
    period: Period
    sort: str
    descending: bool

    @classmethod
    def from_args(cls, args) -> Choice:
        group = args.get("group", "")
        period = args.get("period", "")
        sort = args.get("sort", "") if args.get("sort") in FIGURES_BY_KEY else DEFAULT_SORT
        order = args.get("order")
        descending = order == "desc" if order in ("asc", "desc") else FIGURES_BY_KEY[sort].best_high
        return cls(
            DeptGroup(group) if group in DeptGroup._value2member_map_ else None,
            Period(period) if period in Period._value2member_map_ else Period.THIS_YEAR,
            sort,
            descending,
        )

    def args(self, **changes) -> dict[str, str | None]:
        """URL arguments for this choice with `changes` applied."""
        values = {
            "group": self.group.value if self.group else None,
            "period": self.period.value,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
        }
        return {**values, **changes}

    def sort_args(self, key: str) -> dict[str, str | None]:
        """Arguments for a column header: the same column flips the order, another starts best first."""
        descending = not self.descending if key == self.sort else FIGURES_BY_KEY[key].best_high
        return self.args(sort=key, order="desc" if descending else "asc")


def _rows(choice: Choice, now: datetime) -> list[Row]:
    table = figures.cached_table(Scope.DEPARTMENT, choice.period, now)
    members = [d for d in departments.all_in_order() if choice.group is None or d.group == choice.group]
    return figures.ranked([(d, table.get(d.id, figures.EMPTY)) for d in members], choice.sort, choice.descending)


def _total(choice: Choice, now: datetime) -> Figures:
    if choice.group is None:
        return figures.cached_city(choice.period, now)
    return figures.cached_table(Scope.GROUP, choice.period, now).get(choice.group, figures.EMPTY)


WORST = (
    (_l("答复最慢"), "median_hours"),
    (_l("按时答复率最低"), "replied_on_time"),
    (_l("满意度最低"), "satisfaction"),
)


def _worst(rows: list[Row]) -> list[tuple[str, Row | None, str]]:
    """For each of WORST: the department doing worst among those with enough questions, and its figure."""
    found = []
    for label, key in WORST:
        figure = FIGURES_BY_KEY[key]
        shown = [r for r in figures.ranked(rows, key, descending=not figure.best_high) if r[1].value(key) is not None]
        if shown:
            value = shown[0][1].text(key)
            text = _("%(value)s 小时", value=value) if figure.unit == "小时" else value
            found.append((label, shown[0], f"{figure.label} {text}"))
        else:
            found.append((label, None, _("各部门的样本都不足 %(MIN_SAMPLE)s 件", MIN_SAMPLE=figures.MIN_SAMPLE)))
    return found


def _chart_hint(key: str) -> str:
    figure = FIGURES_BY_KEY[key]
    if figure.is_share or figure.unit == "小时":
        better = _("比例越高越好") if figure.is_share else _("用时越短越好")
        return _("%(better)s；样本不足 %(MIN_SAMPLE)s 件的部门排在最后。", better=better, MIN_SAMPLE=figures.MIN_SAMPLE)
    return ""


def _bar_chart(choice: Choice, rows: list[Row]) -> charts.BarChart:
    """Bars for the departments whose figure is shown (the others are named under the chart)."""
    figure = FIGURES_BY_KEY[choice.sort]
    rows = [(d, f) for d, f in rows if f.value(figure.key) is not None]
    return charts.bar_chart(
        _("%(period)s各部门%(figure)s", period=choice.period.label, figure=figure.label)
        + (_("（小时）") if figure.unit == "小时" else ""),
        [(d.short_name, f.value(figure.key), f.text(figure.key)) for d, f in rows],
        maximum=100.0 if figure.is_share else None,
        links=[url_for("hall.department", slug=d.slug) for d, _ in rows],
    )


def _weekly_chart(now: datetime) -> charts.LineChart:
    weeks = figures.cached_weekly(now)
    return charts.line_chart(
        _("全市每周提问的答复率（近 12 周）"),
        [(f"{w.start.month}/{w.start.day}", w.reply_rate.percent, str(w.reply_rate)) for w in weeks],
    )


@bp.get("/stats")
def table():
    """The accountability table: departments ranked by a chosen figure, with charts and explanations."""
    choice, now = Choice.from_args(request.args), clock.now()
    rows = _rows(choice, now)
    counts = office.counts_by_department(figures.period_start(choice.period, now), now)
    return render_template(
        "stats/table.html",
        choice=choice,
        terms=settings().terms,
        rows=rows,
        total=_total(choice, now),
        figures=FIGURES,
        reports=monthly.listing(),
        channels=office.by_channel(figures.period_start(choice.period, now), now),
        office_counts=counts,
        office_total={k: sum(counts.get(d.id, {}).get(k, 0) for d, __ in rows) for k in ("extensions", "supervisions")},
        groups=list(DeptGroup),
        periods=list(Period),
        worst=_worst(rows),
        chart=_bar_chart(choice, rows),
        chart_hint=_chart_hint(choice.sort),
        left_out=[d for d, f in rows if f.value(choice.sort) is None],
        weekly=_weekly_chart(now),
        sample_note=figures.SAMPLE_NOTE,
        period_note=figures.PERIOD_NOTE,
        min_sample=figures.MIN_SAMPLE,
    )


def _csv_value(figure: figures.Figure, f: Figures) -> str:
    value = figure.read(f)
    if value is None:
        return figures.INSUFFICIENT
    return f"{value:.1f}" if figure.is_share or figure.unit == "小时" else str(int(value))


CSV_SAMPLES = (
    (_l("按时受理样本"), lambda f: f.accepted_on_time.whole),
    (_l("答复率样本"), lambda f: f.replied.whole),
    (_l("按时答复样本"), lambda f: f.replied_on_time.whole),
    (_l("答复用时样本"), lambda f: f.reply_hours.n),
    (_l("评价数"), lambda f: f.satisfaction.whole),
)


OFFICE_COLUMNS = {
    "extensions": _l("批准延期（次）"),
    "extensions_asked": _l("申请延期（次）"),
    "supervisions": _l("督办（次）"),
}


@bp.get("/stats.csv")
def table_csv():
    """The same table as CSV, UTF-8 with a byte-order mark so that Excel reads the Chinese."""
    choice, now = Choice.from_args(request.args), clock.now()
    out = io.StringIO()
    writer = csv.writer(out)
    counts = office.counts_by_department(figures.period_start(choice.period, now), now)
    writer.writerow(
        [
            _("排名"),
            _("部门"),
            _("分组"),
            *(_("%(label)s（%(unit)s）", label=f.label, unit=f.shown_unit) for f in FIGURES),
            *(str(n) for n, __ in CSV_SAMPLES),
            *(str(n) for n in OFFICE_COLUMNS.values()),
        ]
    )
    for rank, (d, f) in enumerate(_rows(choice, now), 1):
        writer.writerow(
            [
                rank if f.value(choice.sort) is not None else "",
                d.name,
                d.group.label,
                *(_csv_value(fig, f) for fig in FIGURES),
                *(read(f) for _, read in CSV_SAMPLES),
                *(counts.get(d.id, {}).get(k, 0) for k in OFFICE_COLUMNS),
            ]
        )
    name = f"xtq-stats-{choice.group.value if choice.group else 'all'}-{choice.period.value}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Content-Type": "text/csv; charset=utf-8"},
    )
