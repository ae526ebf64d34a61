// Lesson 6, check-then-act: ten registrations of one fresh name at once, to the deliberately naive endpoint (several
// 201s: its check and its write are separate steps), then to /register (exactly one 201, 409 for the rest: its check
// is part of the write).
//
//     node lesson6.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
const server = process.env.CONFLICT409_URL ?? 'http://localhost:5000';
const learner = process.env.CONFLICT409_LEARNER;
const RACERS = 10;
const headers = { 'Content-Type': 'application/json', ...(learner ? { Learner: learner } : {}) };

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

async function burst(path, username) {
  console.log(`  → ${RACERS} × POST ${path} ${JSON.stringify({ username })} at once`);
  const answers = await Promise.all(Array.from({ length: RACERS }, () =>
    fetch(server + path, { method: 'POST', headers, body: JSON.stringify({ username }) })
      .then(async response => { await response.text(); return response.status; })));
  const statuses = answers.sort();
  console.log(`  ← ${statuses.join(', ')}`);
  return statuses;
}

console.log(`  → POST /lab/races ${JSON.stringify({ racers: RACERS })}`);
const planned = await fetch(server + '/lab/races', { method: 'POST', headers, body: JSON.stringify({ racers: RACERS }) });
const text = await planned.text();
console.log(`  ← ${planned.status} ${planned.statusText} ${text}`);
if (planned.status !== 201) fail(`expected 201, got ${planned.status}: the server did not answer as lesson 6 says`);
const plan = JSON.parse(text);
const naive = await burst(plan.naivePath, plan.username);
const atomic = await burst(plan.atomicPath, plan.username);
const count = (statuses, status) => statuses.filter(s => s === status).length;
if (count(naive, 201) < 2) fail('expected several 201s from the naive endpoint');
if (count(atomic, 201) !== 1 || count(atomic, 409) !== RACERS - 1) fail('expected exactly one 201 from /register and 409 for the rest');
console.log(`  The naive endpoint accepted the name ${count(naive, 201)} times; /register once. Recovery, for a client: ` +
  'a 409 from a correct server is lesson 0, pick another name. For the server: make the check part of the write.');
console.log('✓ recovered');
