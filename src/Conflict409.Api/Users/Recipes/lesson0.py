#!/usr/bin/env python3
"""Lesson 0, duplicate registration: register a fresh name, register it again (409 username-taken), and recover
the right way: ask for another name; never send the taken one again.

    python3 lesson0.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
"""
import json
import os
import sys

import httpx

SHOWN = ("Location", "ETag", "Retry-After", "Idempotent-Replayed")
server = os.environ.get("CONFLICT409_URL", "http://localhost:5000")
learner = os.environ.get("CONFLICT409_LEARNER")
client = httpx.Client(base_url=server, headers={"Learner": learner} if learner else {})


def send(method, path, body=None, expect=None):
    print(f"  → {method} {path}" + (f" {json.dumps(body)}" if body is not None else ""))
    response = client.request(method, path, json=body)
    headers = "".join(f" [{name}: {response.headers[name]}]" for name in SHOWN if name in response.headers)
    print(f"  ← {response.status_code} {response.reason_phrase}{headers} {response.text[:300]}".rstrip())
    if expect is not None and response.status_code != expect:
        sys.exit(f"✗ expected {expect}, got {response.status_code}: the server did not answer as lesson 0 says")
    return response


# Fresh names for this run, handed out by the lesson itself.
names = send("GET", "/lessons/duplicate-registration", expect=200).json()["fixtures"]
send("POST", "/register", {"username": names["name"]}, expect=201)
taken = send("POST", "/register", {"username": names["name"]}, expect=409).json()
if not taken["type"].endswith("/username-taken"):
    sys.exit(f"✗ expected a username-taken problem, got {taken['type']}")
print(f"  {taken['existingUsername']} holds the name. Recovery: another name, not the same one again.")
send("POST", "/register", {"username": names["other"]}, expect=201)
print("✓ recovered")
