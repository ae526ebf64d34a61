#!/usr/bin/env python3
"""Lesson 4, 409 on GET (non-standard): page through the catalogue until the server blocks this client with 409
blocked-by-rate-limit and Retry-After. It means "slow down": wait exactly Retry-After, then GET again.

    python3 lesson4.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
"""
import os
import sys
import time

import httpx

SHOWN = ("Location", "ETag", "Retry-After", "Idempotent-Replayed")
server = os.environ.get("CONFLICT409_URL", "http://localhost:5000")
learner = os.environ.get("CONFLICT409_LEARNER")
client = httpx.Client(base_url=server, headers={"Learner": learner} if learner else {})


def send(method, path):
    print(f"  → {method} {path}")
    response = client.request(method, path)
    headers = "".join(f" [{name}: {response.headers[name]}]" for name in SHOWN if name in response.headers)
    print(f"  ← {response.status_code} {response.reason_phrase}{headers} {response.text[:120]}".rstrip())
    return response


for _ in range(100):
    blocked = send("GET", "/catalog/products?page=1")
    if blocked.status_code != 200:
        break
if blocked.status_code not in (409, 429) or "Retry-After" not in blocked.headers:
    sys.exit(f"✗ expected 409 with Retry-After, got {blocked.status_code}: the server did not answer as lesson 4 says")
wait = int(blocked.headers["Retry-After"])
print(f"  Blocked: a GET cannot conflict, so this means slow down. Recovery: wait Retry-After ({wait} s), then retry.")
time.sleep(wait)
if send("GET", "/catalog/products?page=1").status_code != 200:
    sys.exit("✗ expected 200 after waiting Retry-After")
print("✓ recovered")
