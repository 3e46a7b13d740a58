"""The forms, one module per area. Every form is a FlaskForm, so CSRF is checked on every POST."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

REASON_MAX = 200


class ActionForm(FlaskForm):
    """A button that changes something (publish, pin, follow, accept, unhide): only the CSRF token."""


class HideForm(FlaskForm):
    """Hide a post, comment or question; the reason is shown to the public."""

    reason = StringField(
        _l("隐藏理由（公开显示）"),
        validators=[DataRequired(_l("请说明原因。")), Length(max=REASON_MAX, message=_l("原因最多 200 字。"))],
    )
