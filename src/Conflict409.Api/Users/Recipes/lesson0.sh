#!/usr/bin/env bash
# Lesson 0, duplicate registration: register a fresh name, register it again (409 username-taken), and recover the
# right way: ask for another name; never send the taken one again.
#
#     bash lesson0.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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

# Fresh names for this run, handed out by the lesson itself.
send GET /lessons/duplicate-registration 200
name=$(fixture name) other=$(fixture other)
send POST /register 201 "{\"username\":\"$name\"}"
send POST /register 409 "{\"username\":\"$name\"}"
expect_problem username-taken
echo "  $(field existingUsername) holds the name. Recovery: another name, not the same one again."
send POST /register 201 "{\"username\":\"$other\"}"
echo "✓ recovered"
