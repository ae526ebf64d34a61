// Lesson 1, version mismatch: another client saves first, so our update names a stale version and gets 409
// version-mismatch. Recovery: re-read (GET), re-apply the change to the fresh copy, retry with the new version.
//
//     node lesson1.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
  if (expect !== undefined && response.status !== expect) fail(`expected ${expect}, got ${response.status}: the server did not answer as lesson 1 says`);
  return text ? JSON.parse(text) : undefined;
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

const { user } = (await send('GET', '/lessons/versioning', undefined, 200)).fixtures;
await send('POST', '/register', { username: user }, 201);
const ours = await send('GET', `/users/${user}`, undefined, 200);
// Another client edits the same version first.
await send('PUT', `/users/${user}/profile`, { displayName: 'Edited by B', version: ours.version }, 200);
const stale = await send('PUT', `/users/${user}/profile`, { displayName: 'Edited by A', version: ours.version }, 409);
if (!stale.type.endsWith('/version-mismatch')) fail(`expected a version-mismatch problem, got ${stale.type}`);
console.log('  Our copy is stale. Recovery: re-read, re-apply, retry with the new version.');
const fresh = await send('GET', `/users/${user}`, undefined, 200);
await send('PUT', `/users/${user}/profile`, { displayName: 'Edited by A', bio: fresh.bio, version: fresh.version }, 200);
console.log('✓ recovered');
