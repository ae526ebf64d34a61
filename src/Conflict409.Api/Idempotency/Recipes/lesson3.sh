#!/usr/bin/env bash
# Lesson 3, a retry while the first request is in flight: the first registration holds its Idempotency-Key
# (?holdMs=), so the same request sent meanwhile gets 409 idempotency-key-in-use with Retry-After. Recovery: wait
# exactly Retry-After, then send the same key and payload again: the first response is replayed.
#
#     bash lesson3.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
set -euo pipefail
server=${CONFLICT409_URL:-http://localhost:5000}
learner=()
if [[ -n ${CONFLICT409_LEARNER:-} ]]; then learner=(-H "Learner: $CONFLICT409_LEARNER"); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# send METHOD PATH EXPECTED-STATUS [JSON-BODY [HEADER]]: prints the request and the answer, leaves the answer's body in
# $body and its headers in $headers, and stops the script if the status is not the expected one.
send() {
  local method=$1 path=$2 expect=$3 data=${4-} header=${5-} status
  local out; out=$(mktemp -p "$work")
  local extra=()
  if [[ -n $data ]]; then extra+=(-H 'Content-Type: application/json' --data "$data"); fi
  if [[ -n $header ]]; then extra+=(-H "$header"); fi
  echo "  → $method $path${header:+ [$header]}${data:+ $data}"
  status=$(curl -sS -X "$method" -o "$out.body" -D "$out.headers" -w '%{http_code}' -b "$work/cookies" -c "$work/cookies" \
    "${learner[@]}" "${extra[@]}" "$server$path")
  body=$(cat "$out.body")
  headers=$(grep -iE '^(location|etag|retry-after|idempotent-replayed):' "$out.headers" | tr -d '\r' | sed 's/^/[/; s/$/]/' | tr '\n' ' ' || true)
  echo "  ← $status $headers${body:0:300}"
  if [[ $status != "$expect" ]]; then
    echo "✗ expected $expect, got $status: the server did not answer as the lesson says" >&2
    exit 1
  fi
}

# The string value of a JSON member of $body (the first one of that name), e.g. field type.
field() { grep -o "\"$1\":\"[^\"]*\"" <<<"$body" | head -n 1 | cut -d '"' -f 4; }
# A fresh name the lesson handed out in its fixtures.
fixture() { grep -o '"fixtures":{[^}]*}' <<<"$body" | grep -o "\"$1\":\"[^\"]*\"" | cut -d '"' -f 4; }
expect_problem() {
  if [[ $(field type) != */$1 ]]; then echo "✗ expected a $1 problem, got $(field type)" >&2; exit 1; fi
}

send GET /lessons/idempotency-key 200
payload="{\"username\":\"$(fixture held)\"}" key="Idempotency-Key: \"$(fixture heldKey)\""
# The first try: the server holds its key in flight for 4 s, as if the work took that long.
send POST '/register?holdMs=4000' 201 "$payload" "$key" &
first=$!
sleep 1 # a moment later, the same request from "a second tab" (it must reach the server second)
send POST '/register?holdMs=4000' 409 "$payload" "$key"
expect_problem idempotency-key-in-use
wait=$(grep -io '\[retry-after: [0-9]*' <<<"$headers" | grep -o '[0-9]*$')
echo "  The key is in flight. Recovery: wait Retry-After ($wait s), then the same key and payload."
sleep "$wait"
send POST '/register?holdMs=4000' 201 "$payload" "$key"
if ! grep -qi 'idempotent-replayed: true' <<<"$headers"; then echo "✗ expected the first response, replayed" >&2; exit 1; fi
wait "$first" # the first try's own check: 201
echo "✓ recovered"
