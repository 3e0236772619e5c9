"""Personal-data helpers: how a mobile number is shown to whoever does not need to call it."""

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def mask_mobile(mobile):
    """138****5678 for a mainland mobile; keep only the last four of anything else."""
    if not mobile:
        return ""
    mobile = str(mobile)
    if len(mobile) >= 7:
        return f"{mobile[:3]}****{mobile[-4:]}"
    return "****"


def is_valid_mobile(mobile):
    return bool(MOBILE_RE.match(mobile or ""))
