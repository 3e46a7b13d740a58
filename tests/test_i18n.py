"""Languages: Chinese by default, an English switch kept in a cookie, Beijing time in each language's format."""

from datetime import datetime, timezone

from flask_babel import refresh

from xtq.i18n import format_moment

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
