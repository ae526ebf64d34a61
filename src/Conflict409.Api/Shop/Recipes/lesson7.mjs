// Lesson 7, a stale session: this client keeps cookies like a scraper's session. Another tab changes the cart after
// our page was read, so checkout is 409 stale-session. Recovery: re-read the page (GET /shop/cart), check what
// changed, then submit again.
//
//     node lesson7.mjs    (Node 18 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
const server = process.env.CONFLICT409_URL ?? 'http://localhost:5000';
const learner = process.env.CONFLICT409_LEARNER;
const cookies = new Map(); // fetch keeps no cookies: this is the session's jar

async function send(method, path, body, expect, token) {
  console.log(`  → ${method} ${path}${token ? ' [X-Form-Token: …]' : ''}${body === undefined ? '' : ' ' + JSON.stringify(body)}`);
  const response = await fetch(server + path, {
    method,
    headers: {
      ...(learner ? { Learner: learner } : {}),
      ...(token ? { 'X-Form-Token': token } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      Cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  const text = await response.text();
  console.log(`  ← ${response.status} ${response.statusText} ${text.slice(0, 300)}`.trimEnd());
  if (response.status !== expect) fail(`expected ${expect}, got ${response.status}: the server did not answer as lesson 7 says`);
  return text ? JSON.parse(text) : undefined;
}

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

let page = await send('GET', '/shop/cart', undefined, 200);
// Another tab adds an item: the cart moves on, our page does not.
await send('POST', '/shop/cart/items', { productId: 2 }, 201, page.formToken);
const stale = await send('POST', '/shop/checkout', undefined, 409, page.formToken);
if (!stale.type.endsWith('/stale-session')) fail(`expected a stale-session problem, got ${stale.type}`);
console.log(`  Our page showed revision ${page.revision}. Recovery: re-read the page, then submit again.`);
page = await send('GET', '/shop/cart', undefined, 200);
await send('POST', '/shop/checkout', undefined, 200, page.formToken);
console.log('✓ recovered');
