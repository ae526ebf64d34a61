#!/usr/bin/env python3
"""Lesson 3, a retry while the first request is in flight: the first registration holds its Idempotency-Key
(?holdMs=), so the same request sent meanwhile gets 409 idempotency-key-in-use with Retry-After. Recovery: wait
exactly Retry-After, then send the same key and payload again: the first response is replayed.

    python3 lesson3.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
"""
import json
import os
import sys
import threading
import time

import httpx

SHOWN = ("Location", "ETag", "Retry-After", "Idempotent-Replayed")
server = os.environ.get("CONFLICT409_URL", "http://localhost:5000")
learner = os.environ.get("CONFLICT409_LEARNER")
client = httpx.Client(base_url=server, headers={"Learner": learner} if learner else {}, timeout=30)


def send(method, path, body=None, expect=None, headers=None):
    shown = "".join(f" [{name}: {value}]" for name, value in (headers or {}).items())
    print(f"  → {method} {path}{shown}" + (f" {json.dumps(body)}" if body is not None else ""))
    response = client.request(method, path, json=body, headers=headers)
    answered = "".join(f" [{name}: {response.headers[name]}]" for name in SHOWN if name in response.headers)
    print(f"  ← {response.status_code} {response.reason_phrase}{answered} {response.text[:300]}".rstrip())
    if expect is not None and response.status_code != expect:
        sys.exit(f"✗ expected {expect}, got {response.status_code}: the server did not answer as lesson 3 says")
    return response


names = send("GET", "/lessons/idempotency-key", expect=200).json()["fixtures"]
request = ("POST", "/register?holdMs=4000", {"username": names["held"]})
key = {"Idempotency-Key": f'"{names["heldKey"]}"'}
# The first try: the server holds its key in flight for 4 s, as if the work took that long.
answers = {}
first = threading.Thread(target=lambda: answers.setdefault("first", send(*request, headers=key)))
first.start()
time.sleep(1)  # a moment later, the same request from "a second tab" (it must reach the server second)
in_use = send(*request, expect=409, headers=key)
if not in_use.json()["type"].endswith("/idempotency-key-in-use"):
    sys.exit(f"✗ expected an idempotency-key-in-use problem, got {in_use.json()['type']}")
wait = int(in_use.headers["Retry-After"])
print(f"  The key is in flight. Recovery: wait Retry-After ({wait} s), then the same key and payload.")
time.sleep(wait)
replayed = send(*request, expect=201, headers=key)
first.join()
if answers["first"].status_code != 201:
    sys.exit(f"✗ expected 201 for the first try, got {answers['first'].status_code}")
if replayed.headers.get("Idempotent-Replayed") != "true":
    sys.exit("✗ expected the first response, replayed")
print("✓ recovered")
