"""/stats over HTTP: ranking, sorting and filters by link, the charts, the CSV, and the hall's own figures."""

import csv
import io
import re

import pytest

from tests.helpers import sh
from xtq import clock
from xtq.extensions import db
from xtq.models import Department

THURSDAY = sh(day=26, hour=10)  # the league below is seen from Thursday 26 November 2026, 10:00


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: THURSDAY)


@pytest.fixture
def league(steps):
    """Five quick replies from gongan (2 h each), five slow ones from jiaoyu (96 h), two from sifa."""
    for _ in range(5):
        steps.answered("gongan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=16, hour=12))
        steps.answered("jiaoyu", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=20, hour=10))
    for _ in range(2):
        steps.answered("sifa", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=25, hour=10))


def body_order(html: str, *names: str) -> list[int]:
    tbody = html[html.index("<tbody>") : html.index("</tbody>")]
    return [tbody.index(f">{name}<") for name in names]


def test_sorting_by_reply_time_puts_the_slowest_first_and_small_samples_last(client, league):
    html = client.get("/stats?sort=median_hours&order=desc").get_data(as_text=True)
    jiaoyu, gongan, sifa = body_order(html, "市教育局", "市公安局", "市司法局")
    assert jiaoyu < gongan < sifa
    glance = html[html.index('class="worst"') :]
    assert re.search(r"答复最慢：</span><a [^>]*>市教育局</a>（首次答复用时中位数 96.0 小时）", glance)

    html = client.get("/stats?sort=median_hours&order=asc").get_data(as_text=True)
    jiaoyu, gongan, sifa = body_order(html, "市教育局", "市公安局", "市司法局")
    assert gongan < jiaoyu < sifa  # 样本不足 ranks after the others either way
    assert 'aria-sort="ascending"' in html


def test_column_headers_are_sort_links_and_the_current_one_flips(client):
    html = client.get("/stats?sort=satisfaction&order=desc&period=30d").get_data(as_text=True)
    for key in (
        "received",
        "accepted_on_time",
        "replied",
        "replied_on_time",
        "median_hours",
        "p90_hours",
        "satisfaction",
        "overdue",
        "posts_30d",
    ):
        assert f"sort={key}" in html
    assert re.search(r'href="/stats\?[^"]*sort=satisfaction&amp;order=asc', html)
    assert re.search(r'href="/stats\?[^"]*sort=median_hours&amp;order=asc', html)  # times start shortest first
    assert "period=30d" in html and "<script" not in html


def test_group_and_period_filters(client, league, steps):
    html = client.get("/stats?group=district").get_data(as_text=True)
    assert ">中原区<" in html and ">市公安局<" not in html and "市区县合计" in html
    steps.ask("gongan", sh(day=26, hour=9))  # today
    assert body_order(client.get("/stats?period=year&sort=received").get_data(as_text=True), "市公安局")
    old = steps.ask("gongan", sh(day=1, hour=9, month=3))
    assert old.id
    city_all = client.get("/stats?period=all&sort=received").get_data(as_text=True)
    city_30d = client.get("/stats?period=30d&sort=received").get_data(as_text=True)
    assert re.search(r"全市合计</th>\s*<td>14</td>", city_all)
    assert re.search(r"全市合计</th>\s*<td>13</td>", city_30d)


def test_nonsense_arguments_fall_back_to_the_defaults(client):
    response = client.get("/stats?group=moon&period=ever&sort=%3Cx%3E&order=sideways")
    assert response.status_code == 200
    assert 'aria-sort="descending"' in response.get_data(as_text=True)  # 按时答复率, best first


def test_csv_has_a_bom_chinese_headers_and_the_same_filters(client, league):
    response = client.get("/stats.csv?group=bureau&sort=median_hours&order=desc")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["排名", "部门", "分组", "收到提问（件）"]
    assert "首次答复用时中位数（小时）" in rows[0] and "满意度（%）" in rows[0]
    assert [r[1] for r in rows[1:3]] == ["郑州市教育局", "郑州市公安局"]
    assert rows[1][0] == "1" and rows[1][rows[0].index("首次答复用时中位数（小时）")] == "96.0"
    sifa = next(r for r in rows if r[1] == "郑州市司法局")
    assert sifa[0] == "" and sifa[rows[0].index("首次答复用时中位数（小时）")] == "样本不足"
    assert all(r[2] == "委办局" for r in rows[1:]) and len(rows) == 1 + 38


def test_charts_are_svg_with_escaped_labels(client, league):
    gongan = db.session.scalar(db.select(Department).where(Department.slug == "gongan"))
    gongan.short_name = '公安<b>"局'
    db.session.commit()
    html = client.get("/stats?sort=replied").get_data(as_text=True)
    assert html.count('<svg class="chart') == 2
    assert '<title id="bars-title">今年各部门答复率</title>' in html
    assert "公安&lt;b&gt;&#34;局" in html and '公安<b>"局' not in html
    assert re.search(r'<rect class="bar-fill" x="160" y="\d+" width="50.0%"', html)  # 100% of 100


def test_the_hall_shows_figures_home_directory_and_department(client, league):
    home = client.get("/").get_data(as_text=True)
    assert "今年收到提问" in home and ">12<" in home and 'href="/stats"' in home
    assert re.search(r'<a href="/stats"[^>]*>统计</a>', home)  # the nav link
    directory = client.get("/directory").get_data(as_text=True)
    assert "按时答复 100%" in directory and "按时答复 样本不足" in directory
    dept = client.get("/hall/jiaoyu").get_data(as_text=True)
    assert "今年问政情况" in dept and "96.0<small> 小时</small>" in dept
    assert '<svg class="chart bar-chart"' in dept and "市教育局今年与全市对比" in dept
