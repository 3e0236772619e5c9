"""A stand-in SMS gateway that several processes share: every call is appended to a Redis list (what a real gateway
would be asked to deliver), every distinct idempotency key added to a set (what a de-duplicating gateway delivers).
``FAIL_KEY`` holds how many of the next calls should fail, to test retries."""

import os

import redis

from liaison.sms import BaseSmsBackend, SmsSendError

CALLS_KEY = "test-gateway:calls"
DELIVERED_KEY = "test-gateway:delivered"
FAIL_KEY = "test-gateway:fail-next"


def client():
    return redis.Redis.from_url(os.environ["REDIS_URL"])


class RedisGatewaySmsBackend(BaseSmsBackend):
    _client = None

    def send(self, mobile, text, idempotency_key=None):
        if RedisGatewaySmsBackend._client is None:
            RedisGatewaySmsBackend._client = client()
        r = RedisGatewaySmsBackend._client
        if r.decr(FAIL_KEY) >= 0:
            raise SmsSendError("gateway busy (simulated)")
        pipe = r.pipeline()
        pipe.rpush(CALLS_KEY, idempotency_key or "")
        pipe.sadd(DELIVERED_KEY, idempotency_key or "")
        pipe.execute()
        return idempotency_key
