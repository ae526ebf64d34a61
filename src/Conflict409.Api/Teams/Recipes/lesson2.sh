#!/usr/bin/env bash
# Lesson 2, deleting what others reference: a team lists a user, so deleting the user is 409 user-referenced with
# the blockers in blockedBy. Recovery: delete each blocker first, then the user.
#
#     bash lesson2.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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

send GET /lessons/referenced-resource 200
owner=$(fixture owner) member=$(fixture member) team=$(fixture team)
send POST /register 201 "{\"username\":\"$owner\"}"
send POST /register 201 "{\"username\":\"$member\"}"
send POST /teams 201 "{\"name\":\"$team\",\"owner\":\"$owner\",\"members\":[\"$member\"]}"
send DELETE "/users/$member" 409
expect_problem user-referenced
mapfile -t blockers < <(grep -o '"blockedBy":\[[^]]*\]' <<<"$body" | grep -o '"/[^"]*"' | tr -d '"')
if ((${#blockers[@]} == 0)); then echo "✗ the problem names no blockers" >&2; exit 1; fi
echo "  Blocked by ${blockers[*]}. Recovery: remove the blockers first, then delete again."
for blocker in "${blockers[@]}"; do send DELETE "$blocker" 204; done
send DELETE "/users/$member" 204
echo "✓ recovered"
