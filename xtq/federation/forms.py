"""Forms of /admin/federation (FlaskForm: CSRF on every POST)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional


class BlockForm(FlaskForm):
    host = StringField(_l("域名"), validators=[DataRequired(_l("请填写域名。")), Length(max=255)])
    reason = StringField(_l("原因"), validators=[Optional(), Length(max=200)])


class SwitchForm(FlaskForm):
    on = HiddenField()


class ActionForm(FlaskForm):
    """A button with nothing to fill in (unblock, send again)."""
