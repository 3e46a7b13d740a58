"""Every public page renders in Chinese, with no asset from another host."""

import re

import pytest

from xtq.models import Role, StaffTitle

PUBLIC_PAGES = [
    "/",
    "/directory",
    "/hall/gongan",
    "/hall/zhongmou",
    "/hall/gongjiao",
    "/login",
    "/register",
    "/topic/冬季供暖",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_renders_in_chinese_without_external_assets(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "心通桥" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "pages must not load anything from another host"


def test_directory_lists_the_three_groups_with_counts(client):
    html = client.get("/directory").get_data(as_text=True)
    assert "委办局 38 个，市区县 12 个，公用事业 7 个" in html
    assert html.count('class="card dept-card"') == 57
    assert "郑州市公共交通总公司" in html


def test_department_hall_shows_profile_and_contacts(client):
    html = client.get("/hall/gongan").get_data(as_text=True)
    assert "郑州市公安局" in html
    assert 'href="tel:0371-' in html


def test_unknown_department_is_a_chinese_404(client):
    response = client.get("/hall/nosuch")
    assert response.status_code == 404
    assert "您要找的页面不存在" in response.get_data(as_text=True)


def test_api_style_404_answers_json(client):
    response = client.get("/api/v1/nosuch")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_unexpected_error_is_a_chinese_500(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "服务器出了点问题" in response.get_data(as_text=True)


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_published_post_shows_on_home_department_topic_and_own_page(client, make_user, make_post):
    staff = make_user(Role.STAFF, slug="gongjiao", title=StaffTitle.SPOKESPERSON)
    post = make_post(staff, "#冬季供暖# 公交12路 今日起调整，详见 https://example.gov.cn/bus @市公安局")
    for url in ("/", "/hall/gongjiao", "/topic/冬季供暖", f"/p/{post.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "公交12路" in html, url
    html = client.get(f"/p/{post.id}").get_data(as_text=True)
    assert 'href="/topic/%E5%86%AC%E5%AD%A3%E4%BE%9B%E6%9A%96"' in html
    assert 'href="/hall/gongan"' not in html  # no mention map given to the builder
    assert 'rel="nofollow noopener ugc"' in html


def test_care_mode_is_switched_from_every_page_and_remembered(client):
    assert 'href="/care?on=1&amp;next=/hall/gongan?"' in client.get("/hall/gongan").get_data(as_text=True)
    response = client.get("/care?on=1&next=/hall/gongan")
    assert response.headers["Location"] == "/hall/gongan"
    assert "care=1" in response.headers["Set-Cookie"] and "Max-Age=31536000" in response.headers["Set-Cookie"]
    html = client.get("/directory").get_data(as_text=True)
    assert '<body class="care">' in html and "标准版" in html
    client.get("/care?next=/")
    assert '<body class="care">' not in client.get("/directory").get_data(as_text=True)


def test_care_mode_switch_never_redirects_off_site(client):
    assert client.get("/care?on=1&next=https://evil.example/").headers["Location"] == "/"
