#!/usr/bin/env python3
"""Lesson 6, check-then-act: ten registrations of one fresh name at once, to the deliberately naive endpoint
(several 201s: its check and its write are separate steps), then to /register (exactly one 201, 409 for the rest:
its check is part of the write).

    python3 lesson6.py    (needs httpx; CONFLICT409_URL, CONFLICT409_LEARNER optional)
"""
import asyncio
import json
import os
import sys

import httpx

RACERS = 10
server = os.environ.get("CONFLICT409_URL", "http://localhost:5000")
learner = os.environ.get("CONFLICT409_LEARNER")
headers = {"Learner": learner} if learner else {}


async def burst(client, path, username):
    print(f"  → {RACERS} × POST {path} {json.dumps({'username': username})} at once")
    answers = await asyncio.gather(*(client.post(path, json={"username": username}) for _ in range(RACERS)))
    statuses = sorted(response.status_code for response in answers)
    print(f"  ← {', '.join(map(str, statuses))}")
    return statuses


async def main():
    limits = httpx.Limits(max_connections=RACERS)
    async with httpx.AsyncClient(base_url=server, headers=headers, limits=limits, timeout=30) as client:
        print(f"  → POST /lab/races {json.dumps({'racers': RACERS})}")
        planned = await client.post("/lab/races", json={"racers": RACERS})
        print(f"  ← {planned.status_code} {planned.reason_phrase} {planned.text}")
        if planned.status_code != 201:
            sys.exit(f"✗ expected 201, got {planned.status_code}: the server did not answer as lesson 6 says")
        plan = planned.json()
        naive = await burst(client, plan["naivePath"], plan["username"])
        atomic = await burst(client, plan["atomicPath"], plan["username"])
    if naive.count(201) < 2:
        sys.exit("✗ expected several 201s from the naive endpoint")
    if atomic.count(201) != 1 or atomic.count(409) != RACERS - 1:
        sys.exit("✗ expected exactly one 201 from /register and 409 for the rest")
    print(f"  The naive endpoint accepted the name {naive.count(201)} times; /register once. Recovery, for a client: "
          "a 409 from a correct server is lesson 0, pick another name. For the server: make the check part of the write.")
    print("✓ recovered")


asyncio.run(main())
