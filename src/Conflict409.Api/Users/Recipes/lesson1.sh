#!/usr/bin/env bash
# Lesson 1, version mismatch: another client saves first, so our update names a stale version and gets 409
# version-mismatch. Recovery: re-read (GET), re-apply the change to the fresh copy, retry with the new version.
#
#     bash lesson1.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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

version() { grep -o '"version":[0-9]*' <<<"$body" | cut -d : -f 2; }

send GET /lessons/versioning 200
user=$(fixture user)
send POST /register 201 "{\"username\":\"$user\"}"
send GET "/users/$user" 200
ours=$(version)
# Another client edits the same version first.
send PUT "/users/$user/profile" 200 "{\"displayName\":\"Edited by B\",\"version\":$ours}"
send PUT "/users/$user/profile" 409 "{\"displayName\":\"Edited by A\",\"version\":$ours}"
expect_problem version-mismatch
echo "  Our copy is stale. Recovery: re-read, re-apply, retry with the new version."
send GET "/users/$user" 200
send PUT "/users/$user/profile" 200 "{\"displayName\":\"Edited by A\",\"version\":$(version)}"
echo "✓ recovered"
