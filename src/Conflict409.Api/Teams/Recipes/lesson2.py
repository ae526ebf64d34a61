#!/usr/bin/env python3
"""Lesson 2, deleting what others reference: a team lists a user, so deleting the user is 409 user-referenced with
the blockers in blockedBy. Recovery: delete each blocker first, then the user.

    python3 lesson2.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
        sys.exit(f"✗ expected {expect}, got {response.status_code}: the server did not answer as lesson 2 says")
    return response


names = send("GET", "/lessons/referenced-resource", expect=200).json()["fixtures"]
send("POST", "/register", {"username": names["owner"]}, expect=201)
send("POST", "/register", {"username": names["member"]}, expect=201)
send("POST", "/teams", {"name": names["team"], "owner": names["owner"], "members": [names["member"]]}, expect=201)
refused = send("DELETE", f"/users/{names['member']}", expect=409).json()
if not refused["type"].endswith("/user-referenced") or not refused["blockedBy"]:
    sys.exit(f"✗ expected a user-referenced problem naming its blockers, got {refused}")
print(f"  Blocked by {', '.join(refused['blockedBy'])}. Recovery: remove the blockers first, then delete again.")
for blocker in refused["blockedBy"]:
    send("DELETE", blocker, expect=204)
send("DELETE", f"/users/{names['member']}", expect=204)
print("✓ recovered")
