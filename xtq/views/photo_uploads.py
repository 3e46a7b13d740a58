"""What views that take photos share: the mark that lets their requests be large, and the files' bytes."""

from collections.abc import Callable
from typing import TypeVar

from wtforms import MultipleFileField

F = TypeVar("F", bound=Callable)


def accepts_photos(view: F) -> F:
    """Let this view's requests carry photos (PHOTO_REQUEST_MAX instead of MAX_CONTENT_LENGTH)."""
    view.accepts_photos = True  # type: ignore[attr-defined]  (read by xtq.security.CleanedRequest)
    return view


def uploads(field: MultipleFileField | None) -> list[bytes]:
    """The bytes of each file chosen in a photos field (an empty file input sends one nameless part)."""
    if field is None:
        return []
    return [f.read() for f in (field.data or []) if getattr(f, "filename", "")]
