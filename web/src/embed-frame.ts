// The widget iframe (page /embed/frame, see docs/embed.md): the handshake,
// then the customizer (./customizer/). The page's URL carries a nonce,
// never the token: the iframe posts the nonce to the store page
// (targetOrigin pinned to the store origin it was opened for), receives
// the token by postMessage from that parent window only, keeps it in
// memory only, proves it with the session route and says it is ready.
// Before the token ends it asks the loader to renew and handshakes again
// with the new nonce, in place: the customizer keeps running, and reads
// the new token on its next call. The session route also names the
// shopper (a key kept in localStorage when the browser allows it), which
// every customizer call sends along.

import { Api } from './customizer/api.js';
import { Customizer } from './customizer/app.js';
import { pickLocale } from './customizer/i18n.js';
import { ShopperKey } from './customizer/shopper.js';
import { Timings } from './customizer/timings.js';

const params = new URLSearchParams(location.search);
const parentOrigin = params.get('origin') || '';
const status = document.getElementById('luneo-status');
const root = document.getElementById('luneo-widget');
const app = document.getElementById('luneo-customizer');
const timings = new Timings(root);
const shopper = new ShopperKey(params.get('brand') || '');

// In memory only: never in the URL, storage or a cookie.
let token = '';
let expiresAt = 0;
let awaiting = false;
let renewTimer = 0;
let started = false;
// A renewal asked for and not answered yet: one at a time, or the loader
// would hold two nonces and refuse the first handshake.
let renewing = 0;
// Callers waiting for the next token (a call refused because the token ran out).
let waiters: (() => void)[] = [];
let pageUrlWaiters: ((url: string) => void)[] = [];

const toParent = (msg: object): void => {
  // Pinned to the store origin the page was opened for: if the iframe has
  // been framed by anyone else, the browser drops the message.
  window.parent.postMessage(msg, parentOrigin);
};

const setState = (state: string, text?: string): void => {
  if (root) root.dataset.state = state;
  if (status && text !== undefined) status.textContent = text;
};

/** renew asks the loader for a new token, unless a request is under way. */
const renew = (): void => {
  if (renewing) return;
  renewing = window.setTimeout(() => (renewing = 0), 15000);
  toParent({ type: 'renew' });
};

const handshake = (nonce: string): void => {
  awaiting = true;
  toParent({ type: 'handshake', nonce });
};

interface Session {
  product: { id: string; name: string };
  renewIn: number;
  expiresAt: string;
  shopper?: string;
}

/** session proves the token and learns when to renew it and who the shopper is. */
async function session(): Promise<Session | null> {
  const headers: Record<string, string> = { Authorization: 'Bearer ' + token };
  if (shopper.get()) headers['X-Luneo-Shopper'] = shopper.get();
  const r = await fetch('/api/embed/session', { headers, credentials: 'omit', cache: 'no-store' });
  if (!r.ok) {
    setState('error');
    toParent({ type: 'error', message: 'the embed session was refused (HTTP ' + r.status + ')' });
    return null;
  }
  const s = (await r.json()) as Session;
  expiresAt = Date.parse(s.expiresAt) || Date.now() + Math.max(1, s.renewIn) * 1000;
  if (s.shopper) shopper.set(s.shopper);
  window.clearTimeout(renewTimer);
  renewTimer = window.setTimeout(renew, Math.max(1, s.renewIn) * 1000);
  return s;
}

async function start(): Promise<void> {
  const s = await session();
  if (!s) return;
  setState('ready', (status ? status.textContent || '' : '') + ' ' + s.product.name);
  if (root) root.dataset.product = s.product.name;
  toParent({ type: 'ready' });
  timings.mark('ready');
  // A server without the shopper API (no shopper key) keeps the
  // placeholder: the customizer cannot call anything without the key.
  if (s.shopper && app && !started) {
    started = true;
    void startCustomizer(app);
  }
}

async function startCustomizer(el: HTMLElement): Promise<void> {
  const api = new Api({
    token: () => token,
    shopper: () => shopper.get(),
    expired: () => Date.now() >= expiresAt - 2000,
    renewed: () => renewed(),
  });
  const c = new Customizer({
    root: el,
    api,
    locale: pickLocale(params.get('locale')),
    designLink: /^de_[A-Za-z0-9_-]{8,200}$/.test(params.get('design') || '') ? (params.get('design') as string) : '',
    post: toParent,
    pageUrl,
    timings,
  });
  await c.start();
  if (status && el.dataset.customizer === 'ready') status.hidden = true;
  watchHeight();
}

/** renewed asks for a new token now and resolves once it is in place. */
function renewed(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('the session could not be renewed')), 15000);
    waiters.push(() => {
      window.clearTimeout(timer);
      resolve();
    });
    renew();
  });
}

/** pageUrl asks the loader for the store page's URL (for the design link). */
function pageUrl(): Promise<string> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(() => resolve(''), 2000);
    pageUrlWaiters.push((url) => {
      window.clearTimeout(timer);
      resolve(url);
    });
    toParent({ type: 'pageUrl' });
  });
}

/** watchHeight tells the loader the page's height, so the iframe fits it. */
function watchHeight(): void {
  const main = root || document.body;
  let last = 0;
  let frame = 0;
  const send = (): void => {
    frame = 0;
    const hgt = Math.ceil(main.getBoundingClientRect().bottom + window.scrollY + 16);
    if (Math.abs(hgt - last) < 2) return;
    last = hgt;
    toParent({ type: 'resize', height: hgt });
  };
  new ResizeObserver(() => {
    if (!frame) frame = requestAnimationFrame(send);
  }).observe(main);
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only the window that framed us, from the origin we were opened for:
  // a third frame posting a token of its own is ignored.
  if (e.source !== window.parent || e.origin !== parentOrigin) return;
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'handshake' && awaiting && typeof m.token === 'string' && m.token) {
    awaiting = false;
    const first = token === '';
    token = m.token;
    window.clearTimeout(renewing);
    renewing = 0;
    if (first) {
      void start();
      return;
    }
    setState('ready');
    // The new token's lifetime, and the next renewal, come from the session route.
    void session().then(() => {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    });
  } else if (m.type === 'nonce' && typeof m.nonce === 'string') {
    handshake(m.nonce);
  } else if (m.type === 'pageUrl' && typeof m.url === 'string') {
    const w = pageUrlWaiters;
    pageUrlWaiters = [];
    w.forEach((f) => f(m.url));
  }
});

const nonce = params.get('nonce') || '';
// The nonce is spent once used: keep it out of the history and of what a
// reload would resend.
params.delete('nonce');
history.replaceState(null, '', location.pathname + '?' + params.toString());
if (window.parent === window || !parentOrigin || !nonce) {
  setState('error', 'This page is shown inside a store.');
} else {
  handshake(nonce);
}
