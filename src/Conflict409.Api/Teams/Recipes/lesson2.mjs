// Lesson 2, deleting what others reference: a team lists a user, so deleting the user is 409 user-referenced with
// the blockers in blockedBy. Recovery: delete each blocker first, then the user.
//
//     node lesson2.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
const server = process.env.CONFLICT409_URL ?? 'http://localhost:5000';
const learner = process.env.CONFLICT409_LEARNER;
const SHOWN = ['Location', 'ETag', 'Retry-After', 'Idempotent-Replayed'];

async function send(method, path, body, expect) {
  console.log(`  → ${method} ${path}${body === undefined ? '' : ' ' + JSON.stringify(body)}`);
  const response = await fetch(server + path, {
    method,
    headers: { ...(learner ? { Learner: learner } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const headers = SHOWN.filter(name => response.headers.has(name)).map(name => ` [${name}: ${response.headers.get(name)}]`).join('');
  console.log(`  ← ${response.status} ${response.statusText}${headers} ${text.slice(0, 300)}`.trimEnd());
  if (expect !== undefined && response.status !== expect) fail(`expected ${expect}, got ${response.status}: the server did not answer as lesson 2 says`);
  return text ? JSON.parse(text) : undefined;
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

const names = (await send('GET', '/lessons/referenced-resource', undefined, 200)).fixtures;
await send('POST', '/register', { username: names.owner }, 201);
await send('POST', '/register', { username: names.member }, 201);
await send('POST', '/teams', { name: names.team, owner: names.owner, members: [names.member] }, 201);
const refused = await send('DELETE', `/users/${names.member}`, undefined, 409);
if (!refused.type.endsWith('/user-referenced') || !refused.blockedBy?.length) fail(`expected a user-referenced problem naming its blockers, got ${refused.type}`);
console.log(`  Blocked by ${refused.blockedBy.join(', ')}. Recovery: remove the blockers first, then delete again.`);
for (const blocker of refused.blockedBy) await send('DELETE', blocker, undefined, 204);
await send('DELETE', `/users/${names.member}`, undefined, 204);
console.log('✓ recovered');
