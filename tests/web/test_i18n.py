"""Languages: Chinese by default, an English switch kept in a cookie, Beijing time in each language's format."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import gettext, refresh

from xtq.cli import catalogues
from xtq.extensions import db
from xtq.i18n import format_moment
from xtq.models import Department, User

MOMENT = datetime(2026, 2, 16, 16, 30, tzinfo=UTC)  # 00:30 on 17 February in Beijing


def test_chinese_by_default_with_a_switch_to_english(client):
    html = client.get("/directory").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and 'href="/lang?to=en&amp;next=/directory?"' in html
    response = client.get("/lang?to=en&next=/directory")
    assert response.headers["Location"] == "/directory" and "lang=en" in response.headers["Set-Cookie"]
    html = client.get("/directory").get_data(as_text=True)
    assert '<html lang="en">' in html and 'href="/lang?to=zh_CN' in html
    client.get("/lang?to=zh_CN&next=/")
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)


def test_unknown_language_and_offsite_next_are_ignored(client):
    response = client.get("/lang?to=xx&next=https://evil.example/")
    assert response.headers["Location"] == "/" and "lang=" not in response.headers.get("Set-Cookie", "")


def test_times_are_beijing_time_in_each_languages_format(app):
    with app.test_request_context():
        refresh()
        assert format_moment(MOMENT) == "2026-02-17 00:30"
        assert format_moment(MOMENT, "date") == "2026-02-17"
        assert format_moment(MOMENT, "short") == "2月17日 00:30"
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()  # as every real request does (xtq.i18n)
        assert format_moment(MOMENT) == "17 Feb 2026, 00:30"
        assert format_moment(MOMENT, "date") == "17 Feb 2026"


# ---- the catalogues ---------------------------------------------------------------------------


def test_catalogues_hold_every_string_and_the_compiled_files_match():
    """Extraction finds nothing missing from zh_CN or en, no entry is empty, and each .mo is the .po compiled."""
    assert catalogues.problems() == []


def test_chinese_catalogue_is_the_source_itself():
    for message in catalogues.read("zh_CN"):
        if message.id:
            expected = (message.id[-1],) if message.pluralizable else message.id
            assert tuple(message.string) == expected if message.pluralizable else message.string == expected


# ---- pages in English ------------------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _chrome(html: str, data: list[str]) -> str:
    """The page without what is data: department and place names, user text, the switch back to 中文."""
    html = re.sub(r'<script type="application/json".*?</script>', "", html, flags=re.S)  # keyed by source text
    html = re.sub(r"<option[^>]*>.*?</option>", "", html, flags=re.S)  # departments and districts
    html = re.sub(r'<span class="brand-mark"[^>]*>.*?</span>', "", html)  # the logo glyph
    html = re.sub(r'<a class="lang-switch"[^>]*>.*?</a>', "", html)  # 中文, in Chinese on purpose
    for text in sorted(data, key=len, reverse=True):
        html = html.replace(text, "")
    return html


def _data_names() -> list[str]:
    names = []
    for d in db.session.scalars(db.select(Department)):
        names += [d.name, d.short_name]
    return names + [u.display_name for u in db.session.scalars(db.select(User))]


ENGLISH_PAGES = [
    "/login",
    "/register",
    "/ask",
    "/search",
    "/search?q=公交",
    "/stats",
    "/directory",
    "/timeline",
    "/track",
    "/no-such-page",
    "/timeline?sort=hot",
    "/account",
    "/password/forgot",
]


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_pages_without_user_content_read_in_english(client, auth, citizen, url):
    client.set_cookie("lang", "en")
    if url in ("/ask", "/account"):
        auth.login(citizen)
    response = client.get(url)
    assert response.status_code in (200, 404)
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    left = CJK.findall(_chrome(html, _data_names() + ["公交"]))
    assert not left, "".join(left)


@pytest.mark.parametrize("url", ["/login", "/directory", "/stats", "/no-such-page"])
def test_pages_stay_chinese_by_default(client, url):
    html = client.get(url).get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert all(word in html for word in ("首页", "我要提问", "与网民互动，为民生服务"))


def test_english_forms_errors_and_relative_times(client, app):
    client.set_cookie("lang", "en")
    html = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "Please enter your username." in html and "请输入" not in html
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        from xtq import clock
        from xtq.web.templating import reltime

        assert reltime(clock.now() - timedelta(minutes=3)) == "3 minutes ago"
        assert reltime(clock.now() - timedelta(hours=1)) == "1 hour ago"


def test_domain_errors_follow_the_language(app):
    from xtq.domain.errors import DomainError
    from xtq.domain.questions import _text

    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        with pytest.raises(DomainError, match="Please enter: Reply."):
            _text("", 10, "text", gettext("答复内容"))
    with app.test_request_context():
        refresh()
        with pytest.raises(DomainError, match="请填写答复内容。"):
            _text("", 10, "text", gettext("答复内容"))


# ---- system texts stored as message keys (xtq.domain.messages) -------------------------------

USER_TEXT = [
    "小区门口路灯不亮",
    "晚上很黑，请尽快修理。",
    "城市管理",
    "已安排维修。",
    "什么时候修好？",
    "还是不亮",
    "换了灯泡",
    "正在联系供电公司",
    "应由交通部门办理",
    "不属于本部门职责",
    "含有他人隐私",
    "误填了电话",
    "小区门口路灯坏了",
    "晚上很黑。",
    "这是公安的职责",
    "确实不属于",
    "请重新办理",
    "含有广告",
    "已安排。",
    "什么时候？",
    "今日路灯检修",
    "好的",
    "请公安办理",
    "需要现场勘查",
    "理由不足",
    "群众反映强烈",
    # the redaction mark stands inside the user's words, typed over them (and the note names it)
    "晚上〔已删除〕，请尽快修理。",
    "〔已删除〕",
]


def _every_event_kind(cal, citizen, liaison, spokesperson, make_user, t):
    """Questions that between them take every step of the loop, each written by the real domain."""
    from xtq.domain import comments, office, publishing, questions, review, screening
    from xtq.domain.departments import by_slug
    from xtq.models import PostKind, Rating, Role, StaffTitle

    ask = dict(title="小区门口路灯不亮", body="晚上很黑，请尽快修理。", category="城市管理", anonymous=False, cal=cal)
    full = questions.ask(citizen, by_slug("gongan"), now=t(), **ask)
    questions.remind(full.due_at + timedelta(minutes=1), cal)  # overdue: the system reminds
    questions.accept(full, liaison, now=t(), cal=cal)
    questions.progress(full, liaison, "正在联系供电公司", now=t(), cal=cal)
    questions.reply(full, spokesperson, "已安排维修。", now=t(), cal=cal)
    questions.followup(full, citizen, "什么时候修好？", now=t(), cal=cal)
    questions.reply(full, spokesperson, "已安排维修。", now=t(), cal=cal)
    questions.rate(full, citizen, Rating.UNSATISFIED, "还是不亮", now=t(), cal=cal)
    questions.reply(full, spokesperson, "换了灯泡", now=t(), cal=cal)
    questions.rate(full, citizen, Rating.SATISFIED, now=t(), cal=cal)

    other = make_user(Role.STAFF, slug="jiaotong", title=StaffTitle.LIAISON)
    admin = make_user(Role.ADMIN)
    declined = questions.ask(citizen, by_slug("gongan"), now=t(), **ask)
    questions.transfer(declined, liaison, by_slug("jiaotong"), "应由交通部门办理", now=t(), cal=cal)
    questions.decline(declined, other, "不属于本部门职责", now=t(), cal=cal)
    questions.hide(declined, admin, "含有他人隐私", now=t())
    questions.redact(declined, admin, "很黑", "误填了电话", now=t())

    stale = questions.ask(citizen, by_slug("gongan"), now=t(), **ask)
    questions.accept(stale, liaison, now=t(), cal=cal)
    questions.reply(stale, spokesperson, "已安排维修。", now=t(), cal=cal)
    questions.close_if_stale(stale, t() + timedelta(days=30))

    late = questions.ask(citizen, by_slug("gongan"), now=t(), **ask)
    questions.accept(late, liaison, now=t(), cal=cal)
    overdue = late.due_at + timedelta(minutes=1)
    questions.remind(overdue, cal)  # the reply is overdue: the asker hears of it
    questions.reply(late, spokesperson, "已安排维修。", now=overdue + timedelta(minutes=1), cal=cal)
    questions.followup(late, citizen, "什么时候修好？", now=overdue + timedelta(minutes=2), cal=cal)
    questions.remind(late.due_at + timedelta(minutes=1), cal)  # and so is the answer to the follow-up

    # The coordinating office: asked of the city, dispatched, returned, handled with help, extended, supervised.
    city = questions.ask(citizen, None, to_office=True, now=t(), **ask)
    office.dispatch(city, admin, by_slug("gongan"), "请公安办理", now=t(), cal=cal)
    office.return_to_office(city, liaison, "不属于本部门职责", now=t(), cal=cal)
    office.dispatch(city, admin, by_slug("gongan"), "请公安办理", now=t(), cal=cal)
    questions.accept(city, liaison, now=t(), cal=cal)
    office.assign(city, spokesperson, liaison, now=t())
    office.add_assist(city, liaison, by_slug("jiaotong"), now=t())
    office.assist_done(city, other, now=t())
    office.approve_extension(
        office.request_extension(city, liaison, 3, "需要现场勘查", now=t()), admin, now=t(), cal=cal
    )
    office.refuse_extension(
        office.request_extension(city, liaison, 3, "需要现场勘查", now=t()), admin, "理由不足", now=t()
    )
    office.supervise(city, admin, "群众反映强烈", 3, now=t(), cal=cal)

    # Safe to publish: an edit, a withdrawal, appeals upheld and reopened, review approved and rejected.
    asked = t()
    edited = questions.ask(citizen, by_slug("gongan"), now=asked, **ask)
    questions.edit(edited, citizen, title="小区门口路灯坏了", body="晚上很黑。", now=asked + timedelta(minutes=1))
    questions.withdraw(edited, citizen, now=t())
    appealed = []
    for _ in range(2):
        q = questions.ask(citizen, by_slug("gongan"), now=t(), **ask)
        questions.decline(q, liaison, "不属于本部门职责", now=t(), cal=cal)
        questions.appeal(q, citizen, "这是公安的职责", now=t(), cal=cal)
        appealed.append(q)
    questions.uphold(appealed[0], admin, "确实不属于", now=t())
    questions.reopen(appealed[1], admin, by_slug("gongan"), "请重新办理", now=t(), cal=cal)
    screening.set_mode(screening.ALL)
    held = [questions.ask(citizen, by_slug("gongan"), now=t(), **ask) for _ in range(2)]
    review.approve_question(held[0], admin, now=t(), cal=cal)
    review.reject_question(held[1], admin, "含有广告", now=t())
    questions.accept(appealed[1], liaison, now=t(), cal=cal)
    questions.reply(appealed[1], spokesperson, "已安排。", now=t(), cal=cal)
    followup = questions.followup(appealed[1], citizen, "什么时候？", now=t(), cal=cal)
    post = publishing.compose(spokesperson, PostKind.DAILY, "今日路灯检修", now=t())
    comment = comments.add(citizen, post, "好的", now=t())
    review.reject(followup, admin, "含有广告", now=t())
    review.reject(comment, admin, "含有广告", now=t())
    db.session.commit()
    return (full, declined, stale, late, city, edited, *appealed, *held), (citizen, liaison, other, admin), admin


def test_every_event_kind_and_notification_reads_in_english(
    client, auth, cal, citizen, liaison, spokesperson, make_user
):
    from tests.helpers import NOW
    from xtq.domain.messages import MESSAGES
    from xtq.models import EventKind, Notification, QuestionEvent

    hours = iter(range(1000))
    made, readers, admin = _every_event_kind(
        cal, citizen, liaison, spokesperson, make_user, lambda: NOW - timedelta(days=60) + timedelta(hours=next(hours))
    )
    assert {e.kind for e in db.session.scalars(db.select(QuestionEvent))} == set(EventKind)
    stored = set(db.session.scalars(db.select(Notification.message_key)))
    assert stored == {key for key in MESSAGES if key.startswith("notify.")}

    client.set_cookie("lang", "en")
    data = _data_names() + USER_TEXT
    pages = [(admin, f"/q/{q.id}") for q in made] + [(reader, "/notifications") for reader in readers]
    for reader, url in pages:
        auth.login(reader)
        html = client.get(url).get_data(as_text=True)
        auth.logout()
        left = CJK.findall(_chrome(html, data))
        assert not left, f"{url} as {reader.username}: {''.join(left)}"
    # Positive control: the system's words are there, in English, and in Chinese for a Chinese reader.
    auth.login(admin)
    english = client.get(f"/q/{made[0].id}").get_data(as_text=True)
    assert "The citizen was not satisfied; the question is reopened." in english and "has passed" in english
    client.set_cookie("lang", "zh_CN")
    assert "网友评价不满意，问题重新办理。" in client.get(f"/q/{made[0].id}").get_data(as_text=True)
    assert CJK.findall(_chrome(english.replace("Reminder", "催办"), data))  # the check can fail


def test_every_message_has_an_english_text_with_the_same_parameters(app):
    from xtq.domain.messages import MESSAGES, msg, render

    placeholder = re.compile(r"%\((\w+)\)s")
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        for key, source in MESSAGES.items():
            names = placeholder.findall(source)
            english = render(key, {name: f"<{name}>" for name in names})
            assert not CJK.findall(english), (key, english)
            assert sorted(re.findall(r"<(\w+)>", english)) == sorted(names), key
        nested = msg("notify.reminder", title="T", reminder=msg("event.remind.reply.overdue", day="2026-12-01"))
        assert (
            render(*nested)
            == "Reminder for “T”: The deadline to reply (2026-12-01) has passed. Please act as soon as possible."
        )


def test_rows_without_a_key_say_what_they_stored_and_known_plain_texts_are_translated(app):
    from types import SimpleNamespace

    from xtq.domain.messages import known, source_of, text_of

    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        assert (
            text_of(SimpleNamespace(message_key="event.closed.satisfied", message_params={}, text=""))
            == "The citizen was satisfied; the question is closed."
        )
        assert text_of(SimpleNamespace(message_key=None, text="某条旧通知")) == "某条旧通知"
        assert text_of(SimpleNamespace(message_key=None, detail="理由")) == "理由"
        assert known("多名网友举报，等待管理员处理").startswith("Reported by") and known("含有隐私") == "含有隐私"
        assert source_of("City leader") == "市领导" and source_of("Mayor") == "Mayor"


def test_english_launch_form_suggests_english_seats_and_stores_the_source(client, auth, admin):
    client.set_cookie("lang", "en")
    auth.login(admin)
    html = client.get("/launch").get_data(as_text=True)
    assert 'value="City leader, Provincial leader, Citizen representative"' in html
    client.post("/launch/ceremony", data={"seats": "City leader, Mayor"})
    from xtq.models import CeremonySeat

    assert [s.label for s in db.session.scalars(db.select(CeremonySeat))] == ["市领导", "Mayor"]
    client.set_cookie("lang", "zh_CN")
    assert "<h3>市领导</h3>" in client.get("/launch").get_data(as_text=True)


def test_edited_tooltip_is_translated(client, spokesperson, make_post):
    post = make_post(spokesperson, "原文")
    from tests.helpers import NOW
    from xtq.domain import publishing

    publishing.edit(spokesperson, post, "改过的文字", now=NOW)
    db.session.commit()
    client.set_cookie("lang", "en")
    assert 'title="Edited ' in client.get(f"/p/{post.id}").get_data(as_text=True)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_moments_read_as_flask_babel_formats_them(app, language):
    """format_moment formats each distinct moment once with its own parsed pattern: it must read
    exactly as Flask-Babel's formatting does (Shanghai's 1986–1991 summer time, year ends, naive UTC)."""
    from flask_babel import force_locale, format_date, format_datetime

    from xtq.i18n import PATTERNS

    moments = [
        datetime(1988, 4, 10, 18, 30, tzinfo=UTC),  # summer time in Shanghai
        datetime(2025, 12, 31, 16, 0, tzinfo=UTC),  # already 1 January in Shanghai
        datetime(2026, 2, 16, 15, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 5, 1, 3, 4),  # naive: read as UTC
    ]
    with app.test_request_context("/"), force_locale(language):
        for moment in moments:
            for style, pattern in PATTERNS[language].items():
                assert format_moment(moment, style) == format_datetime(moment, pattern), (moment, style)
                if "H" not in pattern:
                    assert format_moment(moment.date(), style) == format_date(moment.date(), pattern)
