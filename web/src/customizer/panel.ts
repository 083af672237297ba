// The zone editor: one tab per print zone (the WAI-ARIA tabs pattern:
// arrows, Home and End move between tabs), and in the tab panel the zone
// canvas, the zone's warnings, the tools (add text, add an image, a
// background colour, reset), the layer list and the selected layer's
// settings (props.ts). Colour zones are swatch groups above the tabs.
// Only the active zone's panel exists, so every control has one stable
// data-testid.

import type { Customizer } from './app.js';
import { addLayer, allows, colourOf, layersOf, printZones, removeLayer, resetZone, restack, setColour, zoneSize } from './doc.js';
import { append, clear, h, listen } from './dom.js';
import { fontChoices } from './fonts.js';
import { ptToMM } from './geometry.js';
import { addImage } from './images.js';
import { Props } from './props.js';
import type { Layer, TextLayer, Zone } from './types.js';

/** ZonePanel is the tabs and the active zone's editor. */
export class ZonePanel {
  readonly el: HTMLElement;
  private readonly tabs = new Map<string, HTMLButtonElement>();
  private readonly body: HTMLElement;
  private readonly props: Props;
  private built = '';
  private layersEl: HTMLOListElement | null = null;
  private warnEl: HTMLElement | null = null;
  private tools: Record<string, HTMLButtonElement | HTMLInputElement> = {};
  private observer: ResizeObserver | null = null;

  constructor(private readonly c: Customizer) {
    const { t } = c;
    const zones = printZones(c.zones);
    const list = h('div', { class: 'lw-tabs', role: 'tablist', 'aria-label': t('zones.label'), testid: 'zone-tabs' });
    for (const z of zones) {
      const b = h('button', { type: 'button', class: 'lw-tab', role: 'tab', id: 'lw-tab-' + z.id, 'aria-controls': 'lw-zone-panel',
        testid: 'zone-tab-' + z.id, text: z.name });
      listen(b, 'click', () => this.show(z.id));
      listen<KeyboardEvent>(b, 'keydown', (e) => this.tabKey(e, z.id));
      this.tabs.set(z.id, b);
      list.append(b);
    }
    this.body = h('div', { class: 'lw-panel', role: 'tabpanel', id: 'lw-zone-panel', testid: 'zone-panel', tabindex: -1 });
    this.props = new Props(c);
    this.el = h('div', { class: 'lw-zones' }, zones.length > 1 ? list : null, this.body);
    if (zones.length === 1) {
      // One zone: no tabs to choose from, the panel is simply the zone.
      this.body.removeAttribute('role');
      this.body.setAttribute('aria-label', zones[0]?.name ?? '');
    }
    if (zones.length === 0) append(this.body, h('p', { class: 'lw-muted', text: t('zones.none') }));
  }

  /** show makes a zone the active tab. */
  show(id: string): void {
    if (this.c.active === id && this.built === id) return;
    this.c.active = id;
    this.c.faceZone(id);
    this.build();
    this.update();
  }

  private tabKey(e: KeyboardEvent, id: string): void {
    const ids = [...this.tabs.keys()];
    const i = ids.indexOf(id);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: ids.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = ids[(next + ids.length) % ids.length];
    if (!target) return;
    this.show(target);
    this.tabs.get(target)?.focus();
  }

  /** build makes the active zone's panel. */
  private build(): void {
    const { c } = this;
    const { t } = c;
    const z = c.zone();
    if (!z) return;
    this.built = z.id;
    this.observer?.disconnect();
    clear(this.body);
    this.body.dataset.zoneId = z.id;
    if (this.tabs.size > 1) this.body.setAttribute('aria-labelledby', 'lw-tab-' + z.id);
    const canvas = c.canvasFor(z);
    const help = h('p', { class: 'lw-help', id: 'lw-canvas-help', text: t('canvas.help') });
    canvas.el.setAttribute('aria-describedby', 'lw-canvas-help');
    const wrap = h('div', { class: 'lw-canvas-wrap' }, canvas.el);
    this.observer = new ResizeObserver(() => canvas.resize(wrap.clientWidth));
    this.observer.observe(wrap);
    const size = zoneSize(z);
    this.warnEl = h('ul', { class: 'lw-warnings', testid: 'zone-warnings', 'aria-live': 'polite' });
    this.tools = {};
    const tool = (name: string, label: string, fn: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', class: 'lw-button', testid: name, text: label });
      listen(b, 'click', fn);
      this.tools[name] = b;
      return b;
    };
    const toolbar = h('div', { class: 'lw-toolbar', role: 'toolbar', 'aria-label': t('tools.label') });
    if (allows(z, 'text')) toolbar.append(tool('add-text', t('tools.addText'), () => this.addText(z)));
    if (allows(z, 'image')) {
      const input = h('input', { type: 'file', class: 'lw-file', id: 'lw-file', testid: 'image-input',
        accept: (c.product.limits?.image_types ?? ['image/png', 'image/jpeg', 'image/webp']).join(',') });
      listen(input, 'change', () => {
        const f = input.files?.[0];
        input.value = '';
        if (f) void addImage(c, z, f);
      });
      this.tools['image-input'] = input;
      const label = h('label', { class: 'lw-button', for: 'lw-file', testid: 'add-image', text: t('tools.addImage') });
      toolbar.append(input, label);
    }
    if (allows(z, 'colour')) toolbar.append(tool('add-fill', t('tools.addFill'), () => this.addFill(z)));
    toolbar.append(tool('reset-zone', t('tools.reset'), () => this.reset(z)));
    this.layersEl = h('ol', { class: 'lw-layers', testid: 'layers', 'aria-label': t('layers.label') });
    append(this.body,
      h('p', { class: 'lw-zone-size', text: t('zone.size', { w: round1(size.w), h: round1(size.h) }) }),
      wrap, help, this.warnEl, toolbar,
      h('h2', { class: 'lw-subtitle', text: t('layers.title') }), this.layersEl, this.props.el);
    for (const l of layersOf(c.doc, z.id)) if (l.type === 'text') void c.fonts.load(l.font);
  }

  /** update refreshes the panel from the document and selection. */
  update(): void {
    const { c } = this;
    if (this.built !== c.active) {
      this.build();
    }
    for (const [id, b] of this.tabs) {
      const on = id === c.active;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      b.dataset.layers = String(layersOf(c.doc, id).length);
    }
    const z = c.zone();
    if (!z) return;
    const layers = layersOf(c.doc, z.id);
    const full = layers.length >= (z.max_layers || Infinity);
    for (const name of ['add-text', 'image-input', 'add-fill']) {
      const el = this.tools[name];
      if (el) el.disabled = full;
    }
    const reset = this.tools['reset-zone'];
    if (reset) reset.disabled = layers.length === 0;
    this.renderLayers(z, layers);
    this.renderWarnings(z, full);
    this.props.show(z, c.selection.get(z.id) ?? -1);
  }

  /** live refreshes what a gesture changes (the selected layer's numbers). */
  live(): void {
    const z = this.c.zone();
    if (z) this.props.sync(z, this.c.selection.get(z.id) ?? -1);
  }

  private renderWarnings(z: Zone, full: boolean): void {
    if (!this.warnEl) return;
    const items = [...(this.c.warnings.get(z.id) ?? [])];
    if (full) items.unshift(this.c.t('zone.full', { n: z.max_layers }));
    const now = JSON.stringify(items);
    if (this.warnEl.dataset.items === now) return;
    this.warnEl.dataset.items = now;
    this.warnEl.replaceChildren(...items.map((w) => h('li', { text: w })));
  }

  private renderLayers(z: Zone, layers: Layer[]): void {
    const list = this.layersEl;
    if (!list) return;
    const { t } = this.c;
    const sel = this.c.selection.get(z.id) ?? -1;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.testid;
    clear(list);
    if (layers.length === 0) list.append(h('li', { class: 'lw-muted', text: t('layers.empty') }));
    // Top layer first, as design tools list them.
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i] as Layer;
      const pick = h('button', { type: 'button', class: 'lw-layer-name', testid: 'layer-' + i, 'aria-pressed': String(i === sel),
        text: this.describe(l) });
      listen(pick, 'click', () => this.c.select(z.id, i === sel ? -1 : i));
      const up = h('button', { type: 'button', class: 'lw-icon', testid: 'layer-up-' + i, 'aria-label': t('layers.up', { name: this.describe(l) }),
        text: '↑', disabled: i === layers.length - 1 || l.type === 'colour' });
      listen(up, 'click', () => this.move(z, i, i + 1));
      const down = h('button', { type: 'button', class: 'lw-icon', testid: 'layer-down-' + i,
        'aria-label': t('layers.down', { name: this.describe(l) }), text: '↓', disabled: i === 0 || (layers[i - 1]?.type === 'colour') });
      listen(down, 'click', () => this.move(z, i, i - 1));
      const del = h('button', { type: 'button', class: 'lw-icon lw-danger', testid: 'layer-delete-' + i,
        'aria-label': t('layers.delete', { name: this.describe(l) }), text: '×' });
      listen(del, 'click', () => this.remove(z.id, i));
      list.append(h('li', { class: i === sel ? 'lw-layer lw-selected' : 'lw-layer' }, pick, up, down, del));
    }
    if (focused && list.contains(document.activeElement) === false && focused.startsWith('layer-')) {
      // The focused control was rebuilt (or its layer deleted): keep the
      // keyboard in the list rather than losing it to the page.
      const again = list.querySelector<HTMLElement>(`[data-testid="${focused}"]`) ?? list.querySelector<HTMLElement>('button');
      (again ?? this.body).focus();
    }
  }

  /** describe names a layer in the list. */
  describe(l: Layer): string {
    const { t } = this.c;
    if (l.type === 'text') {
      const s = l.text.replace(/\s+/g, ' ').trim();
      return t('layer.textNamed', { text: s.length > 24 ? s.slice(0, 23) + '…' : s || '…' });
    }
    if (l.type === 'image') return t('layer.imageSized', { w: round1(l.width_mm), h: round1(l.height_mm) });
    return t('layer.fillNamed', { colour: l.color });
  }

  private addText(z: Zone): void {
    const { c } = this;
    const fonts = fontChoices(z.fonts, (c.product.fonts ?? []).map((f) => f.family));
    const font = fonts[0];
    if (!font) {
      c.alert(c.t('text.noFont'));
      return;
    }
    void c.fonts.load(font);
    const size = zoneSize(z);
    const text = c.t('text.default');
    // A sixth of the zone's height, narrower than 80 % of its width.
    const em = Math.min(size.h / 6, (size.w * 0.8) / Math.max(0.1, c.measure.width(text, font)));
    const pt = Math.max(z.min_text_pt || 6, Math.min(200, Math.floor((em * 72) / 25.4)));
    const layer: TextLayer = {
      type: 'text', text, font, size_pt: pt, color: z.colours?.[0] ?? '#000000', align: 'center',
      x_mm: round1(size.w / 2), y_mm: round1(size.h / 2 + ptToMM(pt) / 3), rotation: 0,
    };
    const r = addLayer(c.doc, z.id, layer);
    c.selection.set(z.id, r.index);
    c.commit(r.doc);
    c.say(c.t('text.added'));
    this.props.focusFirst();
  }

  private addFill(z: Zone): void {
    const { c } = this;
    const r = addLayer(c.doc, z.id, { type: 'colour', color: z.colours?.[0] ?? '#ffffff' });
    c.selection.set(z.id, r.index);
    c.commit(r.doc);
    c.say(c.t('fill.added'));
  }

  private reset(z: Zone): void {
    const { c } = this;
    c.selection.set(z.id, -1);
    c.commit(resetZone(c.doc, z.id));
    c.say(c.t('zone.cleared', { zone: z.name }));
  }

  private move(z: Zone, from: number, to: number): void {
    const { c } = this;
    c.selection.set(z.id, to);
    c.commit(restack(c.doc, z.id, from, to));
    (this.layersEl?.querySelector(`[data-testid="layer-${to}"]`) as HTMLElement | null)?.focus();
  }

  /** remove deletes a layer, selects the one below and announces it. */
  remove(zoneId: string, i: number): void {
    const { c } = this;
    const l = layersOf(c.doc, zoneId)[i];
    if (!l) return;
    const name = this.describe(l);
    c.selection.set(zoneId, Math.min(i, layersOf(c.doc, zoneId).length - 2));
    c.commit(removeLayer(c.doc, zoneId, i));
    c.say(c.t('layer.removed', { name }));
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** buildColourZones makes a swatch group (radio buttons) per colour zone. */
export function buildColourZones(c: Customizer, zones: Zone[]): HTMLElement | null {
  if (zones.length === 0) return null;
  const box = h('div', { class: 'lw-colour-zones' });
  for (const z of zones) {
    const set = h('fieldset', { class: 'lw-swatches', testid: 'colour-zone-' + z.id }, h('legend', { text: z.name }));
    (z.colour_options ?? []).forEach((o, i) => {
      const input = h('input', { type: 'radio', name: 'lw-colour-' + z.id, value: o.hex, class: 'lw-swatch-input',
        testid: 'colour-' + z.id + '-' + i, id: 'lw-colour-' + z.id + '-' + i });
      const dot = h('span', { class: 'lw-swatch', 'aria-hidden': 'true' });
      dot.style.backgroundColor = o.hex;
      listen(input, 'change', () => {
        if (input.checked) {
          c.commit(setColour(c.doc, z.id, o.hex));
          c.say(c.t('colour.chosen', { zone: z.name, colour: o.name }));
        }
      });
      set.append(h('label', { class: 'lw-swatch-label', for: input.id }, input, dot, h('span', { text: o.name })));
    });
    box.append(set);
  }
  // Undo and reopen change the choice: keep the radios in step.
  const sync = (): void => {
    for (const z of zones) {
      const chosen = colourOf(c.doc, z.id);
      box.querySelectorAll<HTMLInputElement>(`input[name="lw-colour-${z.id}"]`).forEach((i) => (i.checked = i.value === chosen));
    }
  };
  c.onChange.push(sync);
  return box;
}
