#!/usr/bin/env python3
"""Lesson 1, version mismatch: another client saves first, so our update names a stale version and gets 409
version-mismatch. Recovery: re-read (GET), re-apply the change to the fresh copy, retry with the new version.

    python3 lesson1.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
        sys.exit(f"✗ expected {expect}, got {response.status_code}: the server did not answer as lesson 1 says")
    return response


user = send("GET", "/lessons/versioning", expect=200).json()["fixtures"]["user"]
send("POST", "/register", {"username": user}, expect=201)
ours = send("GET", f"/users/{user}", expect=200).json()
# Another client edits the same version first.
send("PUT", f"/users/{user}/profile", {"displayName": "Edited by B", "version": ours["version"]}, expect=200)
stale = send("PUT", f"/users/{user}/profile", {"displayName": "Edited by A", "version": ours["version"]}, expect=409).json()
if not stale["type"].endswith("/version-mismatch"):
    sys.exit(f"✗ expected a version-mismatch problem, got {stale['type']}")
print("  Our copy is stale. Recovery: re-read, re-apply, retry with the new version.")
fresh = send("GET", f"/users/{user}", expect=200).json()
send("PUT", f"/users/{user}/profile", {"displayName": "Edited by A", "bio": fresh["bio"], "version": fresh["version"]}, expect=200)
print("✓ recovered")
