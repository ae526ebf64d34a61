// Lesson 0, duplicate registration: register a fresh name, register it again (409 username-taken), and recover the
// right way: ask for another name; never send the taken one again.
//
//     node lesson0.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
  if (expect !== undefined && response.status !== expect) fail(`expected ${expect}, got ${response.status}: the server did not answer as lesson 0 says`);
  return text ? JSON.parse(text) : undefined;
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

// Fresh names for this run, handed out by the lesson itself.
const names = (await send('GET', '/lessons/duplicate-registration', undefined, 200)).fixtures;
await send('POST', '/register', { username: names.name }, 201);
const taken = await send('POST', '/register', { username: names.name }, 409);
if (!taken.type.endsWith('/username-taken')) fail(`expected a username-taken problem, got ${taken.type}`);
console.log(`  ${taken.existingUsername} holds the name. Recovery: another name, not the same one again.`);
await send('POST', '/register', { username: names.other }, 201);
console.log('✓ recovered');
