"""Locust users for the benchmark; ``run.py`` writes the plan (scenarios, URLs, session cookies) and starts locust.

    BENCH_PLAN=plan.json BENCH_SCENARIO=name locust -f scripts/bench/locustfile.py --headless ...   one scenario
    BENCH_PLAN=plan.json BENCH_RATE=100 locust -f scripts/bench/locustfile.py --headless ...       the mix

Alone, a user sends the scenario's request as fast as the answers come (closed loop: the throughput ceiling).
In the mix, every user paces itself so that all users together offer ``BENCH_RATE`` requests per second, each
scenario with its weight. Each request logs in as the scenario's role through the session cookie ``run.py`` got
from the login page; the QR submission fetches its form once for the CSRF token and then posts new opinions.
"""

import itertools
import json
import os
import random
import re
import sys
from urllib.parse import urlencode

from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from signing import signed_push  # noqa: E402

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
SCENARIO = os.environ.get("BENCH_SCENARIO")
RATE = float(os.environ.get("BENCH_RATE", "0"))
USERS = int(os.environ.get("BENCH_USERS", "1"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_serial = itertools.count(1)

SCENARIOS = [s for s in PLAN["scenarios"] if s.get("available") and (SCENARIO is None or s["name"] == SCENARIO)]


def _headers(scenario, extra=None):
    headers = {"Accept-Language": "zh-hans"}
    cookie = PLAN["cookies"].get(scenario.get("role") or "")
    if cookie:
        headers["Cookie"] = cookie
    headers.update(extra or {})
    return headers


class BenchUser(FastHttpUser):
    wait_time = constant_throughput(RATE / USERS) if RATE else constant(0)
    connection_timeout = 30
    network_timeout = 60

    def on_start(self):
        self.csrf = {}
        for scenario in SCENARIOS:
            if scenario.get("form"):
                response = self.client.get(scenario["form"], headers=_headers(scenario), name="(form for csrf)")
                match = CSRF_INPUT.search(response.text or "")
                cookie = response.headers.get("Set-Cookie", "")
                token = re.search(r"csrftoken=([^;]+)", cookie)
                if match and token:
                    self.csrf[scenario["name"]] = (match.group(1), token.group(1))
        self.weights = [s.get("weight", 1) for s in SCENARIOS]

    @task
    def one_request(self):
        scenario = random.choices(SCENARIOS, weights=self.weights)[0] if len(SCENARIOS) > 1 else SCENARIOS[0]
        if scenario.get("form"):
            self._post_form(scenario)
            return
        if scenario.get("sign"):
            self._signed_push(scenario)
            return
        expect = scenario.get("expect", 200)
        with self.client.request(
            scenario.get("method", "GET"),
            scenario["path"],
            headers=_headers(scenario, scenario.get("headers")),
            data=scenario.get("body"),
            name=scenario["name"],
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}")

    def _signed_push(self, scenario):
        """A new 12345 work order, signed like hotline/auth.py says (key, timestamp, nonce, HMAC)."""
        body = dict(scenario["body"])
        body["hotline_id"] = f"BENCH-{os.getpid()}-{next(_serial)}-{random.randint(0, 10**9)}"
        raw, headers = signed_push(scenario["path"], body, scenario["sign"]["key_id"], scenario["sign"]["key"])
        with self.client.post(
            scenario["path"], data=raw, headers=headers, name=scenario["name"], catch_response=True
        ) as response:
            if response.status_code != scenario.get("expect", 201):
                response.failure(f"status {response.status_code}")

    def _post_form(self, scenario):
        token, cookie = self.csrf.get(scenario["name"], ("", ""))
        serial = next(_serial)
        body = dict(scenario["fields"])
        body["content"] = f"{body.get('content', '')}（第{serial}号，{random.randint(0, 10**9)}）"
        body["mobile"] = f"139{random.randint(0, 99999999):08d}"
        body["csrfmiddlewaretoken"] = token
        headers = _headers(
            scenario,
            {
                "Cookie": f"csrftoken={cookie}",
                "Referer": PLAN["host"] + scenario["form"],
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with self.client.post(
            scenario["path"],
            data=urlencode(body),
            headers=headers,
            name=scenario["name"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != scenario.get("expect", 302):
                response.failure(f"status {response.status_code}")
