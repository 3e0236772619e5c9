"""Logging filters named in settings.LOGGING."""

import logging


class ExpectedRefusalFilter(logging.Filter):
    """A 4xx (a 403 refusal, a 404) is an expected answer, not a fault: one log line, no traceback.

    Django's request logger attaches the PermissionDenied/Http404 traceback to its warning; 5xx keep theirs."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
