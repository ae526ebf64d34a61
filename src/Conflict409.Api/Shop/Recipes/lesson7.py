#!/usr/bin/env python3
"""Lesson 7, a stale session: this client keeps cookies like a scraper's session. Another tab changes the cart
after our page was read, so checkout is 409 stale-session. Recovery: re-read the page (GET /shop/cart), check what
changed, then submit again.

    python3 lesson7.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
"""
import json
import os
import sys

import httpx

server = os.environ.get("CONFLICT409_URL", "http://localhost:5000")
learner = os.environ.get("CONFLICT409_LEARNER")
client = httpx.Client(base_url=server, headers={"Learner": learner} if learner else {})  # keeps cookies


def send(method, path, body=None, expect=None, token=None):
    print(f"  → {method} {path}" + (" [X-Form-Token: …]" if token else "") + (f" {json.dumps(body)}" if body is not None else ""))
    response = client.request(method, path, json=body, headers={"X-Form-Token": token} if token else None)
    print(f"  ← {response.status_code} {response.reason_phrase} {response.text[:300]}".rstrip())
    if expect is not None and response.status_code != expect:
        sys.exit(f"✗ expected {expect}, got {response.status_code}: the server did not answer as lesson 7 says")
    return response


page = send("GET", "/shop/cart", expect=200).json()
# Another tab adds an item: the cart moves on, our page does not.
send("POST", "/shop/cart/items", {"productId": 2}, expect=201, token=page["formToken"])
stale = send("POST", "/shop/checkout", expect=409, token=page["formToken"]).json()
if not stale["type"].endswith("/stale-session"):
    sys.exit(f"✗ expected a stale-session problem, got {stale['type']}")
print(f"  Our page showed revision {page['revision']}. Recovery: re-read the page, then submit again.")
page = send("GET", "/shop/cart", expect=200).json()
send("POST", "/shop/checkout", expect=200, token=page["formToken"])
print("✓ recovered")
