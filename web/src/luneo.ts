// The widget loader: the one script a brand pastes into its store, served at
// the stable URL /embed/luneo.js (see docs/embed.md). Plain TypeScript with
// no imports, loaded by a classic <script src>: it must stay under 5 KB as
// served (Shopify's theme check refuses assets over 10 KB), which
// cmd/luneo's TestEmbedLoaderSize enforces.
//
// It runs the store side of the handshake: get a token and a nonce for this
// page's origin, open the customizer iframe on Luneo's origin with the
// nonce (never the token) in its URL, check the nonce the iframe posts back
// with Luneo, hand the token to the iframe by postMessage pinned to Luneo's
// origin, and call onReady when the iframe says it is ready. Then it
// answers the customizer: resize the iframe to its content, tell it this
// page's URL (for the design link a cart line carries), hand an added
// design to onAddToCart. A design link (?luneo_design=de_… on this page,
// or the design option) opens that design in the customizer.

interface Options {
  brand: string
  product: string
  variant?: string
  container: string | HTMLElement
  locale?: string
  design?: string
  onReady?: () => void
  onAddToCart?: (item: unknown) => void
  onError?: (err: Error) => void
}

interface Grant {
  token: string
  nonce: string
  expiresIn: number
}

(() => {
  // Luneo's origin is where this script came from: read once, while
  // document.currentScript still points at it.
  const me = document.currentScript as HTMLScriptElement | null
  const luneo = me && me.src ? new URL(me.src).origin : ''

  const query = (p: Record<string, string | undefined>): string =>
    Object.keys(p)
      .filter((k) => p[k])
      .map((k) => k + '=' + encodeURIComponent(p[k] as string))
      .join('&')

  function init(o: Options): void {
    let failed = false
    const fail = (msg: string): void => {
      if (failed) return
      failed = true
      const err = new Error('LuneoWidget: ' + msg)
      if (o.onError) o.onError(err)
      else console.error(err)
    }
    const box = typeof o.container === 'string' ? document.querySelector(o.container) : o.container
    if (!luneo) return fail('load /embed/luneo.js with a <script src> tag')
    if (!box) return fail('container ' + String(o.container) + ' not found')
    if (!o.brand || !o.product) return fail('brand and product are required')

    let frame: HTMLIFrameElement | null = null
    // The grant waiting for its handshake: the nonce the iframe must post
    // back, and the token it gets once Luneo has consumed that nonce.
    let pending: Grant | null = null
    let ready = false

    const grant = async (): Promise<Grant> => {
      const refused = 'token refused: is ' + location.origin + " on the brand's allowed origins, and the product active?"
      let r: Response
      try {
        r = await fetch(
          luneo + '/api/embed/token?' + query({ brand: o.brand, product: o.product, variant: o.variant, origin: location.origin }),
          { credentials: 'omit' },
        )
      } catch {
        // A refusal carries no CORS header for an unlisted origin, so the
        // browser reports it as a network failure.
        throw new Error(refused)
      }
      if (!r.ok) throw new Error(refused + ' (HTTP ' + r.status + ')')
      return (await r.json()) as Grant
    }

    const validate = async (nonce: string): Promise<boolean> => {
      const r = await fetch(luneo + '/api/embed/validate?' + query({ nonce }), { method: 'POST', credentials: 'omit' })
      if (!r.ok) return false
      const v = await r.json()
      return v.valid === true && v.origin === location.origin
    }

    const post = (msg: object): void => {
      // Pinned to Luneo's origin, never '*': if the iframe was navigated
      // elsewhere, the browser drops the message instead of leaking it.
      if (frame && frame.contentWindow) frame.contentWindow.postMessage(msg, luneo)
    }

    const onMessage = async (e: MessageEvent): Promise<void> => {
      // Only our own iframe, on Luneo's origin, is listened to: another
      // frame of the page, or a page that navigated ours away, is ignored.
      if (!frame || e.origin !== luneo || e.source !== frame.contentWindow) return
      const m = e.data
      if (!m || typeof m !== 'object') return
      switch (m.type) {
        case 'handshake': {
          const g = pending
          if (!g || m.nonce !== g.nonce) return fail('handshake with an unexpected nonce')
          pending = null
          if (!(await validate(g.nonce))) return fail('handshake refused by Luneo')
          post({ type: 'handshake', token: g.token })
          return
        }
        case 'ready':
          if (!ready) {
            ready = true
            if (o.onReady) o.onReady()
          }
          return
        case 'renew':
          // The token is about to end: a new token and nonce, then the
          // iframe handshakes again with that nonce.
          try {
            pending = await grant()
            post({ type: 'nonce', nonce: pending.nonce })
          } catch (err) {
            fail((err as Error).message)
          }
          return
        case 'addToCart':
          if (o.onAddToCart) o.onAddToCart(m.item)
          return
        case 'resize':
          if (frame && typeof m.height === 'number') frame.style.height = Math.max(480, Math.min(m.height, 20000)) + 'px'
          return
        case 'pageUrl':
          post({ type: 'pageUrl', url: location.href })
          return
        case 'error':
          fail(String(m.message))
      }
    }
    window.addEventListener('message', (e) => void onMessage(e))

    grant()
      .then((g) => {
        pending = g
        frame = document.createElement('iframe')
        frame.src = luneo + '/embed/frame?' + query({
          brand: o.brand, product: o.product, variant: o.variant, locale: o.locale,
          origin: location.origin, nonce: g.nonce,
          design: o.design || new URLSearchParams(location.search).get('luneo_design') || undefined,
        })
        // Only the flags the customizer needs:
        //   allow-scripts: the customizer is a script;
        //   allow-same-origin: it keeps Luneo's origin, so it can call
        //     Luneo's API and we can check event.origin (else it is "null");
        //   allow-forms: image uploads and the design form;
        //   allow-popups: "View in AR" opens the AR page in a new window.
        // No allow-top-navigation: it can never navigate the store away.
        frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups')
        frame.title = 'Product customizer'
        frame.style.cssText = 'border:0;width:100%;min-height:480px'
        box.appendChild(frame)
      })
      .catch((err: Error) => fail(err.message))
  }

  ;(window as unknown as { LuneoWidget: object }).LuneoWidget = { init }
})()
