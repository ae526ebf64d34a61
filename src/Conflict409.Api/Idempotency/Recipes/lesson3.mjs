// Lesson 3, a retry while the first request is in flight: the first registration holds its Idempotency-Key
// (?holdMs=), so the same request sent meanwhile gets 409 idempotency-key-in-use with Retry-After. Recovery: wait
// exactly Retry-After, then send the same key and payload again: the first response is replayed.
//
//     node lesson3.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
const server = process.env.CONFLICT409_URL ?? 'http://localhost:5000';
const learner = process.env.CONFLICT409_LEARNER;
const SHOWN = ['Location', 'ETag', 'Retry-After', 'Idempotent-Replayed'];

async function send(method, path, body, key) {
  console.log(`  → ${method} ${path}${key ? ` [Idempotency-Key: ${key}]` : ''}${body === undefined ? '' : ' ' + JSON.stringify(body)}`);
  const response = await fetch(server + path, {
    method,
    headers: {
      ...(learner ? { Learner: learner } : {}),
      ...(key ? { 'Idempotency-Key': key } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const headers = SHOWN.filter(name => response.headers.has(name)).map(name => ` [${name}: ${response.headers.get(name)}]`).join('');
  console.log(`  ← ${response.status} ${response.statusText}${headers} ${text.slice(0, 300)}`.trimEnd());
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function expect(answer, status) {
  if (answer.status !== status) fail(`expected ${status}, got ${answer.status}: the server did not answer as lesson 3 says`);
  return answer;
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

const names = expect(await send('GET', '/lessons/idempotency-key'), 200).body.fixtures;
const path = '/register?holdMs=4000';
const payload = { username: names.held };
const key = `"${names.heldKey}"`;
// The first try: the server holds its key in flight for 4 s, as if the work took that long.
const first = send('POST', path, payload, key);
await delay(1000); // a moment later, the same request from "a second tab" (it must reach the server second)
const inUse = expect(await send('POST', path, payload, key), 409);
if (!inUse.body.type.endsWith('/idempotency-key-in-use')) fail(`expected an idempotency-key-in-use problem, got ${inUse.body.type}`);
const wait = Number(inUse.headers.get('Retry-After'));
console.log(`  The key is in flight. Recovery: wait Retry-After (${wait} s), then the same key and payload.`);
await delay(wait * 1000);
const replayed = expect(await send('POST', path, payload, key), 201);
expect(await first, 201);
if (replayed.headers.get('Idempotent-Replayed') !== 'true') fail('expected the first response, replayed');
console.log('✓ recovered');
