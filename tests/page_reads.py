"""Reading pages as the page cache serves them (tests/web: the readers' cache, staff pages, list stamps)."""

import re

from tests.helpers import PASSWORD

# A CSRF field, named alone or with a form's prefix (dispatch-csrf_token); group 1 ends before the value.
TOKEN = re.compile(r'((?:id|name)="(?:\w+-)?csrf_token"[^>]*? value=")[^"]*"')


def read(client, path: str) -> tuple[str | None, str]:
    """The page (200 or the test fails) and whether the cache answered ("hit", "miss" or None)."""
    response = client.get(path)
    assert response.status_code == 200, path
    return response.headers.get("X-Cache"), response.get_data(as_text=True)


def read_untokened(client, path: str) -> tuple[str | None, str]:
    """As read(), with every CSRF token blanked: two readers' pages compare equal."""
    cache, html = read(client, path)
    return cache, TOKEN.sub(r"\1…", html)


def rendered_now(app, client, path: str) -> str:
    """The page as it renders with the cache off (tokens blanked); the cache is left at 60 seconds."""
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        return read_untokened(client, path)[1]
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60


def sign_in(auth, client, user) -> None:
    auth.login(user)
    client.get("/directory")  # the welcome flash, shown and gone: such a page is never kept


def login(client, user) -> None:
    """Sign in through the login form with its CSRF token, as a browser does."""
    token = _value(TOKEN.search(client.get("/login").get_data(as_text=True)))
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    client.get("/directory")  # the welcome flash, shown and gone


def form_token(html: str, action: str) -> str:
    """The CSRF token of the form posting to ``action``."""
    form = html[html.index(f'action="{action}"') :]
    return _value(TOKEN.search(form[: form.index("</form>")]))


def _value(token: re.Match) -> str:
    return token.group(0)[len(token.group(1)) : -1]
