"""Small helpers shared by several test modules."""

import sqlalchemy as sa
from flask import g

from xtq.extensions import db


def fingerprint() -> tuple:
    """Every row of every table: any change anywhere shows."""
    db.session.expire_all()
    return tuple(
        tuple(sorted(map(repr, db.session.execute(sa.select(table)).all())))
        for table in db.metadata.sorted_tables
    )


def send(client, method, url, data=None, **kwargs):
    """A request as the client's own session says: the test's app context would otherwise keep
    the last request's user in `g` (Flask-Login caches it there)."""
    g.pop("_login_user", None)
    return client.open(url, method=method, data=data, **kwargs)


def validated(openapi, response):
    """The response, after checking it against the API's OpenAPI document (the `openapi` fixture)."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

    openapi.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))
    return response
