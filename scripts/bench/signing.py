"""A signed 12345 push as hotline/auth.py specifies (key id, timestamp, nonce, HMAC-SHA256), shared by
``run.py``'s probe and the locust users. Kept free of Django so locust can import it."""

import hashlib
import hmac
import json
import secrets
import time


def signed_push(path, body, key_id, key):
    """``(raw_body, headers)`` for a POST of ``body`` (a dict) to ``path``."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    canonical = "\n".join(["POST", path, timestamp, nonce, hashlib.sha256(raw).hexdigest()])
    signing_key = hashlib.sha256(key.encode()).hexdigest().encode()
    return raw, {
        "Content-Type": "application/json",
        "X-Hotline-Key": key_id,
        "X-Hotline-Timestamp": timestamp,
        "X-Hotline-Nonce": nonce,
        "X-Hotline-Signature": hmac.new(signing_key, canonical.encode(), hashlib.sha256).hexdigest(),
        "Idempotency-Key": body.get("hotline_id") or nonce,
    }
