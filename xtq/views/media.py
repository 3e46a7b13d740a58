"""Photos, served from the storage by their number: the file name is the hall's, never the uploader's."""

from flask import Blueprint, Response, abort
from flask_login import current_user

from xtq import clock
from xtq.domain import photos
from xtq.media import storage

bp = Blueprint("media", __name__, url_prefix="/photos")
ONE_YEAR = 365 * 24 * 3600


@bp.get("/<int:photo_id>.jpg")
def photo(photo_id: int):
    """A photo at its bounded full size."""
    return _serve(photo_id, thumb=False)


@bp.get("/<int:photo_id>/thumb.jpg")
def thumb(photo_id: int):
    """A photo's thumbnail."""
    return _serve(photo_id, thumb=True)


def _serve(photo_id: int, *, thumb: bool) -> Response:
    now = clock.now()
    found = photos.by_id(photo_id)
    viewer = current_user if current_user.is_authenticated else None
    if found is None or not photos.may_see(found, viewer, now):
        abort(404)  # a hidden photo is not there, for those who may not see it
    data = storage().get(found.thumb_key if thumb else found.key) or abort(404)
    response = Response(data, mimetype="image/jpeg")
    if photos.is_public(found, now):
        # The bytes behind an address never change, but hiding must take effect: a day, not a year.
        response.headers["Cache-Control"] = "public, max-age=86400"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = f'inline; filename="{photo_id}{"-thumb" if thumb else ""}.jpg"'
    return response
