"""The HTTP SMS gateway backend against a real local HTTP server: signature, retry on 5xx, none on 4xx."""

import hashlib
import hmac
import http.server
import json
import threading

import pytest

from liaison import sms


class Gateway(http.server.BaseHTTPRequestHandler):
    answers: list = []
    seen: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = hmac.new(b"s3cret", self.headers["X-Liaison-Timestamp"].encode() + b"." + body, hashlib.sha256)
        self.seen.append(
            {
                "key": self.headers["Idempotency-Key"],
                "signed": hmac.compare_digest(expected.hexdigest(), self.headers["X-Liaison-Signature"]),
                "body": json.loads(body),
            }
        )
        status = self.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"message_id": "gw-1"} if status == 200 else {}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.answers, Gateway.seen = [], []
    settings.SMS_BACKEND = "liaison.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_KEY, settings.SMS_GATEWAY_SECRET = "liaison", "s3cret"
    settings.SMS_GATEWAY_RETRIES, settings.SMS_GATEWAY_BACKOFF, settings.SMS_GATEWAY_TIMEOUT = 2, 0.01, 2
    yield Gateway
    server.shutdown()
    server.server_close()


def test_a_500_is_retried_with_the_same_idempotency_key_and_signed(gateway, caplog):
    gateway.answers = [500, 200]
    assert sms.send_sms("13800138000", "您有一件建议待答复", idempotency_key="rem-42") == "gw-1"
    assert [(s["key"], s["signed"]) for s in gateway.seen] == [("rem-42", True), ("rem-42", True)]
    assert gateway.seen[0]["body"] == {"mobile": "13800138000", "text": "您有一件建议待答复", "client_id": "rem-42"}
    assert "13800138000" not in caplog.text


def test_a_4xx_is_not_retried(gateway):
    gateway.answers = [400, 200]
    with pytest.raises(sms.SmsSendError):
        sms.send_sms("13800138000", "x", idempotency_key="rem-43")
    assert len(gateway.seen) == 1


def test_selecting_the_gateway_without_url_or_secret_is_a_check_error(settings):
    from liaison.checks import check_sms_gateway

    settings.SMS_BACKEND = "liaison.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_SECRET = "https://sms.example.org/send", ""
    assert [e.id for e in check_sms_gateway()] == ["liaison.E018"]
    settings.SMS_GATEWAY_SECRET = "s3cret"
    assert check_sms_gateway() == []
