"""The launch on the site: the 即将上线 cover, the admin's ceremony page, the guests' buttons, the screen."""

from datetime import timedelta

import pytest

from xtq import clock
from xtq.domain import launch, settings
from xtq.extensions import db
from xtq.models import Ceremony

PUBLIC_PAGES = ["/", "/directory", "/hall/gongan", "/timeline", "/search?q=公交"]


def schedule(admin, hours=2):
    launch.schedule(admin, clock.now() + timedelta(hours=hours), now=clock.now(), state=settings.read())
    db.session.commit()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_sees_the_cover_while_a_launch_is_scheduled(client, admin, make_post, spokesperson, path):
    make_post(spokesperson, "上线前准备好的微博")
    schedule(admin)
    html = client.get(path).get_data(as_text=True)
    assert "即将上线" in html and "data-countdown" in html
    assert "上线前准备好的微博" not in html


@pytest.mark.parametrize("who", ["admin", "spokesperson", "liaison"])
def test_staff_and_admin_see_the_real_site_with_a_banner(client, auth, request, admin, make_post, spokesperson, who):
    make_post(spokesperson, "上线前准备好的微博")
    schedule(admin)
    auth.login(request.getfixturevalue(who))
    html = client.get("/").get_data(as_text=True)
    assert "上线前准备好的微博" in html
    assert "发布厅尚未上线" in html


def test_citizens_see_the_cover_and_the_api_says_not_yet(client, auth, admin, citizen):
    schedule(admin)
    auth.login(citizen)
    assert "即将上线" in client.get("/").get_data(as_text=True)
    response = client.get("/api/v1/departments")
    assert response.status_code == 503 and response.json["error"]["message"] == "发布厅即将上线。"


def test_login_the_screen_and_health_stay_open_during_the_cover(client, admin):
    schedule(admin)
    for path in ("/login", "/screen", "/screen/data.json", "/launch", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200 and "data-countdown" not in response.get_data(as_text=True), path
    data = client.get("/screen/data.json").json
    assert data["hall"]["public"] is False and data["posts"] == [] and data["figures"] is None


def test_without_a_schedule_the_hall_is_simply_live(client, make_post, spokesperson):
    make_post(spokesperson, "已经上线的微博")
    response = client.get("/")
    assert response.status_code == 200 and "已经上线的微博" in response.get_data(as_text=True)
    assert "即将上线" not in response.get_data(as_text=True)


def test_the_ceremony_on_the_site_from_opening_to_launch(client, auth, admin):
    schedule(admin)
    auth.login(admin)
    client.post("/launch/ceremony", data={"seats": "市领导、省领导、网友代表"})
    page = client.get("/launch").get_data(as_text=True)
    ceremony = db.session.scalar(db.select(Ceremony))
    assert [s.label for s in ceremony.seats] == ["市领导", "省领导", "网友代表"]
    for seat in ceremony.seats:
        assert launch.spaced(seat.code) in page and f"/launch/seat/{seat.code}" in page
    assert page.count('<svg role="img"') == 3  # a QR code per seat, made here
    auth.logout()
    for seat in reversed(ceremony.seats):  # guests on phones, not logged in, any order
        seat_page = client.get(f"/launch/seat/{seat.code}").get_data(as_text=True)
        assert "启动" in seat_page and seat.label in seat_page
        client.post(f"/launch/seat/{seat.code}")
    assert "发布厅已正式上线" in client.get(f"/launch/seat/{ceremony.seats[0].code}").get_data(as_text=True)
    assert "即将上线" not in client.get("/").get_data(as_text=True)
    state = client.get("/launch/state.json").json["ceremony"]
    assert state["pressed"] == 3 and state["completed_at"] and "code" not in str(state)


def test_pressing_twice_changes_nothing(client, admin):
    ceremony = launch.open_new(admin, ["市领导", "网友代表"], rehearsal=False, now=clock.now(), state=settings.read())
    db.session.commit()
    code = ceremony.seats[0].code
    client.post(f"/launch/seat/{code}")
    pressed_at = db.session.get(Ceremony, ceremony.id).seats[0].pressed_at
    client.post(f"/launch/seat/{code}")
    db.session.expire_all()
    assert db.session.get(Ceremony, ceremony.id).seats[0].pressed_at == pressed_at
    assert client.post("/launch/seat/WRONGCODE").status_code == 404


@pytest.mark.parametrize("who", ["citizen", "spokesperson"])
def test_only_the_admin_opens_ceremonies(client, auth, request, who):
    auth.login(request.getfixturevalue(who))
    assert client.post("/launch/ceremony", data={"seats": "市领导"}).status_code == 403
    assert client.post("/launch/schedule", data={"at": "2030-01-01T10:00"}).status_code == 403
    assert db.session.scalar(db.select(Ceremony)) is None
    assert "启动码" in client.get("/launch").get_data(as_text=True)  # the guests' code form, nothing more


def test_a_guest_types_a_code(client, admin):
    ceremony = launch.open_new(admin, ["市领导"], rehearsal=False, now=clock.now(), state=settings.read())
    db.session.commit()
    code = ceremony.seats[0].code
    response = client.get(f"/launch/seat?code={launch.spaced(code).lower()}")
    assert response.status_code == 302 and response.location.endswith(f"/launch/seat/{code}")
    assert client.get("/launch/seat?code=nothing").status_code == 404


@pytest.mark.parametrize("app_config", [{"FIGURES_CACHE_SECONDS": 60}])  # as deployed: counters are memoised
def test_screen_data_is_a_few_small_queries(client, count_queries, spokesperson, make_post, app_config):
    make_post(spokesperson, "大屏上的微博")
    client.get("/screen/data.json")
    with count_queries() as q:
        data = client.get("/screen/data.json").json
    assert data["posts"][0]["text"] == "大屏上的微博" and data["figures"]["departments"] == 57
    assert q.count <= 7, q.statements


@pytest.mark.parametrize("theme", ["", "?theme=light"])
def test_screen_shows_the_hall_and_a_qr_code(client, theme):
    html = client.get("/screen" + theme).get_data(as_text=True)
    assert "“心通桥”微博发布厅" in html and '<svg role="img" aria-label="扫码进入发布厅"' in html
    assert ("theme-light" in html) == bool(theme)
