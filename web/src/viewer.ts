// The 3D viewer island: defines <model-viewer> (Google's web component) for
// pages that show a product or design in 3D. Pages load it with
//
//   <script type="module" src="{{asset "dist/viewer.js"}}"></script>
//
// (the "model-viewer" template partial does) and need nothing else: the
// element upgrades itself wherever it is in the page.

// First: point model-viewer at our own decoders, before it is defined.
import './lib/decoders.js';
import '@google/model-viewer';

// AR pages count AR sessions: a viewer with data-ar-events POSTs
// {"event":"ar_launched"} there when model-viewer starts an AR session
// (same origin, so the Origin check passes without a session).
document.querySelectorAll<HTMLElement>('model-viewer[data-ar-events]').forEach((el) => {
  const url = el.dataset.arEvents;
  if (!url) return;
  el.addEventListener('ar-status', (ev) => {
    const status = (ev as CustomEvent<{ status?: string }>).detail?.status;
    if (status !== 'session-started') return;
    void fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ event: 'ar_launched' }),
      keepalive: true,
    }).catch(() => undefined);
  });
});
