"""Who may open a whole area of the site: one decorator, used by the staff inbox and admin pages.

Finer rules (which question, in which state) belong to the domain, not here.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from xtq.models import Role


def role_required(*roles: Role) -> Callable:
    """Anonymous readers are sent to log in; a logged-in user of another role gets 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
