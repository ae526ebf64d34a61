#!/usr/bin/env bash
# Lesson 4, 409 on GET (non-standard): page through the catalogue until the server blocks this client with 409
# blocked-by-rate-limit and Retry-After. It means "slow down": wait exactly Retry-After, then GET again.
#
#     bash lesson4.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
set -euo pipefail
server=${CONFLICT409_URL:-http://localhost:5000}
learner=()
if [[ -n ${CONFLICT409_LEARNER:-} ]]; then learner=(-H "Learner: $CONFLICT409_LEARNER"); fi
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

get() {
  echo "  → GET $1"
  body=$(curl -sS -D "$headers" -w '\n%{http_code}' "${learner[@]}" "$server$1")
  status=${body##*$'\n'} body=${body%$'\n'*}
  wait=$(grep -i '^retry-after:' "$headers" | tr -dc '0-9' || true)
  echo "  ← $status${wait:+ [Retry-After: $wait]} ${body:0:120}"
}

for ((page = 0; page < 100; page++)); do
  get '/catalog/products?page=1'
  [[ $status == 200 ]] || break
done
if [[ ($status != 409 && $status != 429) || -z $wait ]]; then
  echo "✗ expected 409 with Retry-After, got $status: the server did not answer as lesson 4 says" >&2
  exit 1
fi
echo "  Blocked: a GET cannot conflict, so this means slow down. Recovery: wait Retry-After ($wait s), then retry."
sleep "$wait"
get '/catalog/products?page=1'
if [[ $status != 200 ]]; then echo "✗ expected 200 after waiting Retry-After" >&2; exit 1; fi
echo "✓ recovered"
