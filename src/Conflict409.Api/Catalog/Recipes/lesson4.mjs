// Lesson 4, 409 on GET (non-standard): page through the catalogue until the server blocks this client with 409
// blocked-by-rate-limit and Retry-After. It means "slow down": wait exactly Retry-After, then GET again.
//
//     node lesson4.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
const server = process.env.CONFLICT409_URL ?? 'http://localhost:5000';
const learner = process.env.CONFLICT409_LEARNER;

async function get(path) {
  console.log(`  → GET ${path}`);
  const response = await fetch(server + path, { headers: learner ? { Learner: learner } : {} });
  const text = await response.text();
  const retryAfter = response.headers.has('Retry-After') ? ` [Retry-After: ${response.headers.get('Retry-After')}]` : '';
  console.log(`  ← ${response.status} ${response.statusText}${retryAfter} ${text.slice(0, 120)}`.trimEnd());
  return response;
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

let blocked;
for (let page = 0; page < 100; page++) {
  blocked = await get('/catalog/products?page=1');
  if (blocked.status !== 200) break;
}
if (![409, 429].includes(blocked.status) || !blocked.headers.has('Retry-After')) {
  fail(`expected 409 with Retry-After, got ${blocked.status}: the server did not answer as lesson 4 says`);
}
const wait = Number(blocked.headers.get('Retry-After'));
console.log(`  Blocked: a GET cannot conflict, so this means slow down. Recovery: wait Retry-After (${wait} s), then retry.`);
await new Promise(resolve => setTimeout(resolve, wait * 1000));
if ((await get('/catalog/products?page=1')).status !== 200) fail('expected 200 after waiting Retry-After');
console.log('✓ recovered');
