#!/usr/bin/env bash
# Lesson 7, a stale session: this client keeps cookies like a scraper's session. Another tab changes the cart after
# our page was read, so checkout is 409 stale-session. Recovery: re-read the page (GET /shop/cart), check what
# changed, then submit again.
#
#     bash lesson7.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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

send GET /shop/cart 200
token=$(field formToken) revision=$(grep -o '"revision":[0-9]*' <<<"$body" | cut -d : -f 2)
# Another tab adds an item: the cart moves on, our page does not.
send POST /shop/cart/items 201 '{"productId":2}' "X-Form-Token: $token"
send POST /shop/checkout 409 '' "X-Form-Token: $token"
expect_problem stale-session
echo "  Our page showed revision $revision. Recovery: re-read the page, then submit again."
send GET /shop/cart 200
send POST /shop/checkout 200 '' "X-Form-Token: $(field formToken)"
echo "✓ recovered"
