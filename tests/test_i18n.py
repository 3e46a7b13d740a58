"""Languages: Chinese by default, an English switch kept in a cookie, Beijing time in each language's format."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import gettext, refresh

from xtq import catalogues
from xtq.extensions import db
from xtq.i18n import format_moment
from xtq.models import Department, User

MOMENT = datetime(2026, 2, 16, 16, 30, tzinfo=timezone.utc)  # 00:30 on 17 February in Beijing


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


ENGLISH_PAGES = ["/login", "/register", "/ask", "/search", "/search?q=公交", "/stats", "/directory", "/timeline",
                 "/track", "/no-such-page", "/timeline?sort=hot", "/account", "/password/forgot"]


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
        from xtq.template_setup import reltime
        from xtq import clock

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
