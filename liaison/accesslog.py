"""gunicorn's access log without secrets or mobile numbers (gunicorn.conf.py: ``logger_class``).

The Open311 ``api_key`` and any other secret in a query string (token, password, signature…) is written as
``***``; a mainland mobile number anywhere in the request line, query or referer as ``138****5678``."""

import re

from gunicorn.glogging import Logger

SECRET_PARAMS = r"api_key|apikey|key|access_token|refresh_token|token|password|passwd|pwd|secret|signature|sig|otp"
SECRET_RE = re.compile(rf"(?i)((?:^|[?&;])(?:{SECRET_PARAMS})=)[^&;#\s]*")
MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
MASKED_ATOMS = ("r", "q", "U", "f", "{referer}i")


def mask(text):
    if not text or text == "-":
        return text
    return MOBILE_RE.sub(r"\1****\2", SECRET_RE.sub(r"\1***", text))


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in MASKED_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = mask(atoms[name])
        return atoms
