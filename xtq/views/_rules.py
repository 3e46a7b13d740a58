"""How a view applies a domain rule: 403 and 404 as such, a refused change as a message, else commit."""

from collections.abc import Callable
from typing import Any

from flask import abort, flash
from flask_wtf import FlaskForm

from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.extensions import db


def apply(call: Callable[[], Any], success: str, form: FlaskForm | None = None) -> bool:
    """Run `call`; commit and flash `success`, or roll back and say why. True when it was applied."""
    try:
        call()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as e:
        db.session.rollback()
        if not on_form(form, e):
            flash(e.message, "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


def on_form(form: FlaskForm | None, e: DomainError) -> bool:
    """Put a refused change's reason on the form field it names; False when no field fits."""
    field = getattr(form, e.field, None) if form is not None and e.field else None
    if field is None:
        return False
    field.errors = [*field.errors, e.message]
    return True


def guard(check: Callable[[], Any]) -> None:
    """Run a permission check before showing or changing anything: 403 or 404 when it fails."""
    try:
        check()
    except PermissionDenied:
        abort(403)
    except NotFound:
        abort(404)


def flash_errors(form: FlaskForm) -> None:
    """Say what was wrong with a small form that has no page of its own."""
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")
