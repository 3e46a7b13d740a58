"""Errors the domain raises; views turn them into form errors, flashes or HTTP answers."""


class DomainError(Exception):
    """A rule refused the change. `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The user may not do this (answered with 403)."""


class NotFound(DomainError):
    """The thing does not exist or is not public (answered with 404)."""
