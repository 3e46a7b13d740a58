"""Who may open a whole area of the site: one gate per blueprint (the console, the inbox, admin pages).

Finer rules (which question, in which state) belong to the domain, not here.
"""

from flask import Blueprint, abort, current_app
from flask_login import current_user

from xtq.models import Role


def restrict(bp: Blueprint, *roles: Role) -> None:
    """Every page of `bp` is for `roles`: anonymous visitors log in first, anyone else gets 403."""

    @bp.before_request
    def gate():
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None
