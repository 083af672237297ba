// Prints test vectors made by @shopify/shopify-api's own functions (the
// version pinned in package.json) as JSON on stdout, for
// internal/shopify/vectors_test.go: OAuth/launch query HMACs (genuine and
// tampered), webhook body HMACs, and session tokens with the library's
// verdict. Usage: node vectors.mjs API_KEY API_SECRET
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import crypto from 'node:crypto';

import '@shopify/shopify-api/adapters/node';
import {shopifyApi, ApiVersion, LogSeverity} from '@shopify/shopify-api';
import {SignJWT} from 'jose';

const [apiKey, apiSecretKey] = process.argv.slice(2);
if (!apiKey || !apiSecretKey) {
  console.error('usage: node vectors.mjs API_KEY API_SECRET');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
// generateLocalHmac is the library's own signer of admin queries; it is
// not in the package's public exports, so it is imported by file.
const {generateLocalHmac} = await import(
  path.join(here, 'node_modules/@shopify/shopify-api/dist/esm/lib/utils/hmac-validator.mjs')
);

const shopify = shopifyApi({
  apiKey,
  apiSecretKey,
  scopes: ['read_products', 'read_orders'],
  hostName: 'luneo.example',
  apiVersion: ApiVersion.October25,
  isEmbeddedApp: true,
  logger: {level: LogSeverity.Error, log: async (_s, m) => console.error(m)},
});

const now = Math.trunc(Date.now() / 1000);
const shop = 'mug-store.myshopify.com';
const host = Buffer.from('admin.shopify.com/store/mug-store').toString('base64');

// --- OAuth callback and launch queries ---------------------------------
const queries = [
  {code: '0907a61c0c8d55e99db179b68161bc00', host, shop, state: 'c0ffee00c0ffee00c0ffee00c0ffee00', timestamp: `${now}`},
  {embedded: '1', host, id_token: 'eyJ.a.b', locale: 'fr', session: 'abc123', shop, timestamp: `${now}`},
  {shop, timestamp: `${now}`, note: 'a&b=c d+e/f%20g', 'odd key': 'é ü ✓', star: '*-._~!'},
  {host: host + '==', shop, timestamp: `${now}`, state: '0.6784241404160823'},
];
const oauth = [];
const qs = (obj) => new URLSearchParams(obj).toString();
for (const q of queries) {
  const hmac = await generateLocalHmac(shopify.config)(q);
  const genuine = {...q, hmac};
  oauth.push({name: 'genuine', query: qs(genuine), library_valid: await shopify.utils.validateHmac(genuine)});
  const tampered = {...genuine, shop: 'other-store.myshopify.com'};
  oauth.push({name: 'tampered shop', query: qs(tampered), library_valid: await shopify.utils.validateHmac(tampered)});
  const added = {...genuine, extra: '1'};
  oauth.push({name: 'added parameter', query: qs(added), library_valid: await shopify.utils.validateHmac(added)});
  const flipped = {...genuine, hmac: hmac.slice(0, -1) + (hmac.endsWith('0') ? '1' : '0')};
  oauth.push({name: 'flipped hmac', query: qs(flipped), library_valid: await shopify.utils.validateHmac(flipped)});
  const other = {...q, hmac: await generateLocalHmac({...shopify.config, apiSecretKey: 'another app secret'})(q)};
  oauth.push({name: 'another secret', query: qs(other), library_valid: await shopify.utils.validateHmac(other)});
}

// --- Webhook bodies ------------------------------------------------------
const webhooks = [];
const bodies = [
  '{"id":820982911946154508,"email":"jon@example.com","line_items":[]}',
  '{"shop_id":954889,"shop_domain":"mug-store.myshopify.com"}',
  '{"note":"ünïcödé ✓ \\u0000 and \\"quotes\\""}\n',
];
async function validateWebhook(rawBody, hmac) {
  const headers = {
    'x-shopify-hmac-sha256': hmac,
    'x-shopify-topic': 'orders/create',
    'x-shopify-api-version': ApiVersion.October25,
    'x-shopify-shop-domain': shop,
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-triggered-at': new Date().toISOString(),
    'content-type': 'application/json',
  };
  const rawRequest = {headers, method: 'POST', url: '/api/shopify/webhooks'};
  const res = await shopify.webhooks.validate({rawBody, rawRequest, rawResponse: {}});
  return res.valid;
}
for (const body of bodies) {
  const sign = (secret, data) => crypto.createHmac('sha256', secret).update(data, 'utf8').digest('base64');
  const good = sign(apiSecretKey, body);
  const cases = [
    ['genuine', body, good],
    ['body changed', body.replace('}', ' }'), good],
    ['another secret', body, sign('another app secret', body)],
    ['hex instead of base64', body, crypto.createHmac('sha256', apiSecretKey).update(body, 'utf8').digest('hex')],
  ];
  for (const [name, b, h] of cases) {
    webhooks.push({name, body_base64: Buffer.from(b, 'utf8').toString('base64'), hmac: h, library_valid: await validateWebhook(b, h)});
  }
}

// --- Session tokens ------------------------------------------------------
// luneo_valid differs from the library's verdict only where Luneo is
// stricter (the library checks alg, signature, exp/nbf and aud; Luneo also
// checks dest and iss, and allows 5 s of leeway, not 10).
const key = new TextEncoder().encode(apiSecretKey);
const base = () => ({
  iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: '42',
  exp: now + 60, nbf: now - 5, iat: now - 5, jti: crypto.randomUUID(), sid: 'sid-1',
});
async function sign(payload, alg = 'HS256', secret = key) {
  return new SignJWT(payload).setProtectedHeader({alg, typ: 'JWT'}).sign(secret);
}
function unsigned(payload) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({alg: 'none', typ: 'JWT'})}.${enc(payload)}.`;
}
const tokens = [
  ['genuine', await sign(base()), true],
  ['wrong aud', await sign({...base(), aud: 'another-app'}), false],
  ['expired', await sign({...base(), exp: now - 3600}), false],
  ['not yet valid', await sign({...base(), nbf: now + 3600}), false],
  ['alg none', unsigned(base()), false],
  ['HS512', await sign(base(), 'HS512', new Uint8Array(64).fill(7)), false],
  ['another secret', await sign(base(), 'HS256', new TextEncoder().encode('another app secret')), false],
  ['wrong dest', await sign({...base(), dest: 'https://other-store.myshopify.com'}), false],
  ['dest not a shop', await sign({...base(), dest: 'https://evil.example.com', iss: 'https://evil.example.com/admin'}), false],
  ['iss of another shop', await sign({...base(), iss: 'https://other-store.myshopify.com/admin'}), false],
];
const session_tokens = [];
for (const [name, token, luneoValid] of tokens) {
  let libraryValid = true;
  try {
    await shopify.session.decodeSessionToken(token);
  } catch {
    libraryValid = false;
  }
  session_tokens.push({name, token, library_valid: libraryValid, luneo_valid: luneoValid});
}

process.stdout.write(JSON.stringify({library: '@shopify/shopify-api', now, oauth, webhooks, session_tokens}, null, 2) + '\n');
