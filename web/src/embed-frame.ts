// The widget iframe's side of the handshake (page /embed/frame, see
// docs/embed.md). The page's URL carries a nonce, never the token: the
// iframe posts the nonce to the store page (targetOrigin pinned to the
// store origin it was opened for), receives the token by postMessage from
// that parent window only, keeps it in memory only, proves it with the
// session route and says it is ready. Before the token ends it asks the
// loader to renew and handshakes again with the new nonce, in place: the
// shopper's work in the page is kept. The customizer itself is built on
// top of this in a later slice.

const params = new URLSearchParams(location.search)
const parentOrigin = params.get('origin') || ''
const status = document.getElementById('luneo-status')
const root = document.getElementById('luneo-widget')

// In memory only: never in the URL, storage or a cookie.
let token = ''
let awaiting = false
let renewTimer = 0

const toParent = (msg: object): void => {
  // Pinned to the store origin the page was opened for: if the iframe has
  // been framed by anyone else, the browser drops the message.
  window.parent.postMessage(msg, parentOrigin)
}

const setState = (state: string, text?: string): void => {
  if (root) root.dataset.state = state
  if (status && text !== undefined) status.textContent = text
}

const handshake = (nonce: string): void => {
  awaiting = true
  toParent({ type: 'handshake', nonce })
}

async function start(): Promise<void> {
  const r = await fetch('/api/embed/session', { headers: { Authorization: 'Bearer ' + token }, credentials: 'omit' })
  if (!r.ok) {
    setState('error')
    toParent({ type: 'error', message: 'the embed session was refused (HTTP ' + r.status + ')' })
    return
  }
  const s = await r.json()
  setState('ready', (status ? status.textContent || '' : '') + ' ' + s.product.name)
  if (root) root.dataset.product = s.product.name
  toParent({ type: 'ready' })
  window.clearTimeout(renewTimer)
  renewTimer = window.setTimeout(() => toParent({ type: 'renew' }), Math.max(1, s.renewIn) * 1000)
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only the window that framed us, from the origin we were opened for:
  // a third frame posting a token of its own is ignored.
  if (e.source !== window.parent || e.origin !== parentOrigin) return
  const m = e.data
  if (!m || typeof m !== 'object') return
  if (m.type === 'handshake' && awaiting && typeof m.token === 'string' && m.token) {
    awaiting = false
    const first = token === ''
    token = m.token
    if (first) void start()
    else setState('ready')
  } else if (m.type === 'nonce' && typeof m.nonce === 'string') {
    handshake(m.nonce)
  }
})

const nonce = params.get('nonce') || ''
// The nonce is spent once used: keep it out of the history and of what a
// reload would resend.
params.delete('nonce')
history.replaceState(null, '', location.pathname + '?' + params.toString())
if (window.parent === window || !parentOrigin || !nonce) {
  setState('error', 'This page is shown inside a store.')
} else {
  handshake(nonce)
}

export {}
