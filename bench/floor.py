"""Flask's own floor on this machine: what any page of the hall is measured against.

`hello` answers a fixed string; `template` renders a 20-item Jinja template from memory (no
database), about the shape of a list page. Served by gunicorn as `bench.floor:hello` and
`bench.floor:template`, exactly like the hall.
"""

from flask import Flask, render_template
from jinja2 import DictLoader

ITEMS = [
    {
        "id": n,
        "department": f"部门{n % 7}",
        "title": f"第 {n} 条微博：公交线路调整，请乘客留意",
        "body": "市民朋友们好，" * 6,
    }
    for n in range(1, 21)
]
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
{% for item in items %}
<article class="card"><header><a href="/p/{{ item.id }}">{{ item.department }}</a></header>
<h2>{{ item.title }}</h2><p>{{ item.body }}</p></article>
{% endfor %}
</body></html>"""


def make_hello() -> Flask:
    app = Flask("floor_hello")

    @app.get("/")
    def index():
        """The smallest response Flask makes."""
        return "Hello, 心通桥"

    return app


def make_template() -> Flask:
    app = Flask("floor_template")
    app.jinja_loader = DictLoader({"page.html": PAGE})  # compiled once and cached, like a file template

    @app.get("/")
    def index():
        """Twenty items through Jinja, no database."""
        return render_template("page.html", title="微博发布厅", items=ITEMS)

    return app


hello = make_hello()
template = make_template()
