"""Who may open an area of the site: one gate, put on a whole blueprint (`restrict`: the console,
the inbox, the admin pages) or on one view of a blueprint that mixes roles (`role_required`).

Finer rules (which question, in which state) belong to the domain, not here.
"""

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, current_app
from flask_login import current_user

from xtq.models import Role


def _refusal(roles: tuple[Role, ...]):
    """None when the current user has one of `roles`; else the answer: log in first, or 403."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    return None


def restrict(bp: Blueprint, *roles: Role) -> None:
    """Every page of `bp` is for `roles`."""
    bp.before_request(lambda: _refusal(roles))


def role_required(*roles: Role) -> Callable:
    """One view is for `roles` (its blueprint serves others too)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            return _refusal(roles) or view(*args, **kwargs)

        return wrapped

    return decorator
