#!/usr/bin/env bash
# Lesson 6, check-then-act: ten registrations of one fresh name at once, to the deliberately naive endpoint (several
# 201s: its check and its write are separate steps), then to /register (exactly one 201, 409 for the rest: its check
# is part of the write).
#
#     bash lesson6.sh    (curl; CONFLICT409_URL, CONFLICT409_LEARNER optional)
set -euo pipefail
racers=10
server=${CONFLICT409_URL:-http://localhost:5000}
learner=()
if [[ -n ${CONFLICT409_LEARNER:-} ]]; then learner=(-H "Learner: $CONFLICT409_LEARNER"); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# burst PATH NAME: $racers registrations at once (background curls); prints the statuses, sorted, into $work/PATH.
burst() {
  echo "  → $racers × POST $1 {\"username\":\"$2\"} at once"
  for ((racer = 0; racer < racers; racer++)); do
    curl -sS -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' "${learner[@]}" \
      --data "{\"username\":\"$2\"}" "$server$1" >"$work/racer$racer" &
  done
  wait
  statuses=$(sort "$work"/racer* | tr '\n' ' ')
  echo "  ← $statuses"
}

echo "  → POST /lab/races {\"racers\":$racers}"
plan=$(curl -sS -w '\n%{http_code}' -H 'Content-Type: application/json' "${learner[@]}" --data "{\"racers\":$racers}" "$server/lab/races")
status=${plan##*$'\n'} plan=${plan%$'\n'*}
echo "  ← $status $plan"
if [[ $status != 201 ]]; then echo "✗ expected 201, got $status: the server did not answer as lesson 6 says" >&2; exit 1; fi
member() { grep -o "\"$1\":\"[^\"]*\"" <<<"$plan" | cut -d '"' -f 4; }
username=$(member username)

burst "$(member naivePath)" "$username"
naive_created=$(grep -o 201 <<<"$statuses" | wc -l)
burst "$(member atomicPath)" "$username"
atomic_created=$(grep -o 201 <<<"$statuses" | wc -l) atomic_taken=$(grep -o 409 <<<"$statuses" | wc -l)
if ((naive_created < 2)); then echo "✗ expected several 201s from the naive endpoint" >&2; exit 1; fi
if ((atomic_created != 1 || atomic_taken != racers - 1)); then
  echo "✗ expected exactly one 201 from /register and 409 for the rest" >&2
  exit 1
fi
echo "  The naive endpoint accepted the name $naive_created times; /register once. Recovery, for a client: a 409 from a" \
  "correct server is lesson 0, pick another name. For the server: make the check part of the write."
echo "✓ recovered"
