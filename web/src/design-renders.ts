// The design page's live renders island. The dashboard's design page
// (internal/web/dashboard/templates/design.html) wraps its zone previews,
// files table and render history in
//
//   <div data-design-renders data-events="/app/designs/ID/renders/events"
//        data-zone-names='{"zone-id":"Front"}' data-live="true">
//
// While a render is queued or processing (data-live), this island follows
// the page's server-sent events ("event: renders", data {"renders": […]},
// the format of GET /api/designs/{id}/renders/events) and rebuilds the
// history and files rows and the zone previews from each message, with the
// markup of partials/design_renders.html; it stops once every render is
// done. Without JavaScript the page shows the state it was loaded with and
// a refresh link. Elements are built with textContent and attributes only
// (no HTML strings, no inline styles: the CSP forbids them).

import { type RenderFile, type Render, currentFiles, humanSize, stamp } from './lib/renders.js';

/** File roles as people read them (the page's roleLabels). */
const roleLabels: Record<string, string> = {
  texture: 'Design texture',
  preview: 'Preview',
  print_png: 'Print PNG',
  print_pdf: 'Print PDF',
  glb: '3D model (GLB)',
  usdz: 'AR model (USDZ)',
  view: '3D view',
  hq_view: 'High-quality view',
};

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

function emptyRow(cols: number, text: string): HTMLTableRowElement {
  return h('tr', {}, h('td', { colspan: String(cols), class: 'empty' }, text));
}

function statusCell(r: Render): HTMLTableCellElement {
  const td = h('td', {}, h('span', { class: `badge badge-${r.status}` }, r.status));
  if (r.status !== 'completed' && r.status !== 'failed') {
    td.append(h('progress', { class: 'render-progress', max: '100', value: String(r.progress) }, `${r.progress}%`));
  }
  if (r.error) td.append(h('p', { class: 'render-error' }, r.error));
  return td;
}

function historyRow(r: Render): HTMLTableRowElement {
  const files = r.files ?? [];
  const reused = files.filter((f) => f.reused).length;
  return h(
    'tr',
    { 'data-render-id': r.id },
    h('td', {}, r.kind),
    h('td', {}, String(r.version)),
    statusCell(r),
    h('td', {}, String(r.attempts)),
    h('td', { class: 'nowrap' }, stamp(r.created_at)),
    h('td', { class: 'nowrap' }, stamp(r.started_at)),
    h('td', { class: 'nowrap' }, stamp(r.finished_at)),
    h('td', {}, reused ? `${files.length} (${reused} reused)` : String(files.length)),
  );
}

function fileRow(f: RenderFile, version: number, zones: Record<string, string>): HTMLTableRowElement {
  const label = h('td', {}, roleLabels[f.role] ?? f.role);
  if (f.reused) {
    label.append(' ', h('span', { class: 'badge badge-reused', title: 'Made earlier from the same inputs, not drawn again' }, 'reused'));
  }
  const where = f.view ? f.view : f.zone_id ? (zones[f.zone_id] ?? '') : (f.material ?? '');
  const dims = f.width && f.height ? `${f.width} × ${f.height} px` : '';
  const link = h('a', { href: f.url ?? '', download: '' }, 'Download');
  return h(
    'tr',
    {},
    label,
    h('td', {}, where),
    h('td', {}, String(version)),
    h('td', { class: 'nowrap' }, dims),
    h('td', {}, f.dpi ? String(f.dpi) : ''),
    h('td', { class: 'nowrap' }, humanSize(f.size)),
    h('td', {}, link),
  );
}

/** update redraws the island's parts from one message's renders. */
function update(root: HTMLElement, renders: Render[], zones: Record<string, string>): void {
  const history = root.querySelector<HTMLElement>('[data-history-body]');
  if (history) {
    history.replaceChildren(...(renders.length ? renders.map(historyRow) : [emptyRow(8, 'No renders yet.')]));
  }
  const current = currentFiles(renders);
  const files = root.querySelector<HTMLElement>('[data-files-body]');
  if (files) {
    const rows = current.map(({ file, version }) => fileRow(file, version, zones));
    files.replaceChildren(...(rows.length ? rows : [emptyRow(7, 'No files yet: they appear when a render completes.')]));
  }
  for (const fig of root.querySelectorAll<HTMLElement>('[data-zone-id]')) {
    const zone = fig.dataset.zoneId ?? '';
    const preview = current.find(({ file }) => file.role === 'preview' && file.zone_id === zone);
    if (!preview?.file.url) continue;
    const img = h('img', { src: preview.file.url, alt: `Preview of the zone ${zones[zone] ?? ''}` });
    const old = fig.querySelector('img, .design-thumb');
    if (old) old.replaceWith(img);
    else fig.prepend(img);
  }
}

function say(root: HTMLElement, text: string): void {
  const status = root.querySelector<HTMLElement>('[data-live-status]');
  if (!status) return;
  const refresh = h('a', { href: `${location.pathname}#renders` }, 'Refresh');
  status.replaceChildren(text ? `${text} ` : '', refresh);
}

function follow(root: HTMLElement): void {
  const url = root.dataset.events;
  if (!url || root.dataset.live !== 'true') return;
  let zones: Record<string, string> = {};
  try {
    zones = JSON.parse(root.dataset.zoneNames ?? '{}') as Record<string, string>;
  } catch {
    // Without names the files table shows blank zones; it still updates.
  }
  const events = new EventSource(url);
  say(root, 'A render is under way: this page updates by itself.');
  events.addEventListener('renders', (ev) => {
    let renders: Render[];
    try {
      renders = (JSON.parse((ev as MessageEvent<string>).data) as { renders: Render[] }).renders ?? [];
    } catch {
      return;
    }
    update(root, renders, zones);
    if (renders.every((r) => r.status === 'completed' || r.status === 'failed')) {
      events.close();
      root.dataset.live = 'false';
      say(root, 'Every render is done.');
    }
  });
  events.addEventListener('error', () => {
    // EventSource retries by itself unless the server refused the stream.
    if (events.readyState === EventSource.CLOSED) say(root, 'Live updates stopped.');
  });
}

for (const root of document.querySelectorAll<HTMLElement>('[data-design-renders]')) follow(root);
