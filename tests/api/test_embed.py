"""Other sites show the hall: the embed widget and cards, oEmbed, and CORS on the API and feeds."""

import pytest

SITE = "https://hall.example.gov.cn"


@pytest.fixture
def app_config():
    return {"SITE_URL": SITE, "EMBED_ORIGINS": ["https://www.zhengzhou.gov.cn"]}


def test_the_widget_may_be_framed_only_by_listed_origins(client, spokesperson, make_post):
    make_post(spokesperson, "今天的服务信息")
    response = client.get("/embed/hall/gongan")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "今天的服务信息" in html and '<base target="_blank">' in html
    assert "frame-ancestors https://www.zhengzhou.gov.cn" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    page = client.get("/hall/gongan")  # every other page still refuses frames
    assert (
        page.headers["X-Frame-Options"] == "DENY"
        and "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    )
    assert client.get("/embed/hall/nosuch").status_code == 404


@pytest.mark.parametrize("app_config", [{"SITE_URL": SITE}])
def test_no_listed_origin_means_no_frames(client):
    response = client.get("/embed/hall/gongan")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_oembed_for_posts_questions_and_halls(client, spokesperson, make_post, make_question):
    from datetime import timedelta

    from xtq import clock

    post = make_post(spokesperson, "可嵌入的微博")
    doc = client.get(f"/oembed?url={SITE}/p/{post.id}&maxwidth=400").json
    assert doc["type"] == "rich" and doc["width"] == 400 and f'src="{SITE}/embed/p/{post.id}"' in doc["html"]
    assert "可嵌入的微博" in client.get(f"/embed/p/{post.id}").get_data(as_text=True)
    question = make_question("asked", at=clock.now() - timedelta(hours=1))
    assert f"/embed/q/{question.id}" in client.get(f"/oembed?url={SITE}/q/{question.id}").json["html"]
    assert question.title in client.get(f"/embed/q/{question.id}").get_data(as_text=True)
    assert client.get(f"/oembed?url={SITE}/hall/gongan").status_code == 200
    assert client.get(f"/oembed?url=https://elsewhere.example/p/{post.id}").status_code == 404
    assert client.get(f"/oembed?url={SITE}/search").status_code == 404
    assert client.get(f"/oembed?url={SITE}/p/{post.id}&format=xml").status_code == 501


@pytest.mark.parametrize("url", ["/api/v1/departments", "/hall/gongan/feed.atom", "/oembed?url=/hall/gongan"])
def test_cors_lets_any_page_read_the_api_and_feeds_without_credentials(client, url):
    response = client.get(url, headers={"Origin": "https://other.example"})
    assert response.status_code == 200, url
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_pages_get_no_cors(client):
    assert "Access-Control-Allow-Origin" not in client.get("/", headers={"Origin": "https://other.example"}).headers


def test_feeds_name_the_websub_hub_and_it_hears_of_new_posts(app, client, spokesperson):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from urllib.parse import parse_qsl

    from tests.servers import free_port
    from xtq import clock
    from xtq.domain import publishing
    from xtq.extensions import db
    from xtq.models import PostKind

    pings = []

    class Hub(BaseHTTPRequestHandler):
        def do_POST(self):
            pings.append(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    hub = HTTPServer(("127.0.0.1", free_port()), Hub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    app.config["WEBSUB_HUB"] = f"http://127.0.0.1:{hub.server_port}/"
    try:
        assert f'<link href="{app.config["WEBSUB_HUB"]}" rel="hub"/>' in client.get("/feed.atom").get_data(as_text=True)
        publishing.compose(spokesperson, PostKind.SERVICE, "有订阅的新微博", now=clock.now())
        db.session.commit()  # the sync job runs at once in tests, and queues the ping, which runs at once
    finally:
        hub.shutdown()
        hub.server_close()
    assert pings == [
        [("hub.mode", "publish"), ("hub.url", f"{SITE}/feed.atom"), ("hub.url", f"{SITE}/hall/gongan/feed.atom")]
    ]
