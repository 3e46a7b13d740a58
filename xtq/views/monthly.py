"""The monthly reports (月度通报) at /stats/<yyyy>-<mm>: a printable A4 summary and CSV."""

import csv
import io

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _

from xtq.domain import figures, monthly

bp = Blueprint("monthly", __name__)


def _report(month: str) -> monthly.Report:
    return (monthly.read(month) if monthly.parse_month(month) else None) or abort(404)


@bp.get("/stats/<month>")
def report(month: str):
    """One month's report, frozen when the month ended; prints as one A4 page for the summary."""
    return render_template("monthly/report.html", report=_report(month), min_sample=figures.MIN_SAMPLE)


@bp.get("/stats/<month>.csv")
def report_csv(month: str):
    """The month's figures per department as CSV (UTF-8 with a byte-order mark for Excel)."""
    r = _report(month)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("部门"),
            _("收到问题"),
            _("按时答复率"),
            _("较上月（百分点）"),
            _("满意度"),
            _("较上月（百分点）"),
            _("批准延期（次）"),
            _("督办（次）"),
        ]
    )
    for line in [r.city, *r.departments]:
        writer.writerow(
            [
                line.name,
                line.this.received,
                line.this.text("replied_on_time"),
                _points(line.change("replied_on_time")),
                line.this.text("satisfaction"),
                _points(line.change("satisfaction")),
                line.extensions,
                line.supervisions,
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="xtq-report-{r.month}.csv"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


def _points(change: float | None) -> str:
    return "" if change is None else f"{change:+.1f}"
