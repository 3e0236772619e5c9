"""The one error type services raise. Pages and the API turn it into the user's language."""


class ApplicationError(Exception):
    """A refusal a user can understand: ``message`` is already translated (gettext)."""

    status_code = 400

    def __init__(self, message, code="invalid", extra=None, status_code=None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code


class InvalidTransition(ApplicationError):
    """A workflow step that the state table does not allow from the current state."""

    status_code = 409

    def __init__(self, message, current, requested, code="invalid_transition"):
        super().__init__(message, code=code, extra={"current": current, "requested": requested})
        self.current = current
        self.requested = requested


class PermissionDenied(ApplicationError):
    status_code = 403

    def __init__(self, message, code="permission_denied", extra=None):
        super().__init__(message, code=code, extra=extra)
