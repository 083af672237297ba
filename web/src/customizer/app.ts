// The customizer: the product in 3D beside (or, on a narrow screen, above)
// the editor of its zones, the live price, and save, AR and add to cart.
// This file holds the state and how a change spreads: one immutable design
// document with its undo history; every change redraws the zone canvas,
// reprices, and, once the zone is still, asks for the server's preview,
// which then goes on the zone canvas and on the 3D model. The 3D stage
// (stage.ts), the panels (panel.ts, props.ts), the keys (shortcuts.ts),
// the image flow (images.ts) and the save, cart and AR flows (actions.ts)
// build on it.

// <model-viewer> itself comes from the viewer bundle (dist/viewer.js, with
// our decoder locations), which the frame page loads beside this one: the
// handshake and the editor do not wait for the 3D code to download, and the
// stage uses the element only after its 'load' event.
import type { ModelViewerElement } from '@google/model-viewer';

import { errText, type Api, type ApiError } from './api.js';
import { Actions } from './actions.js';
import { canvasMeasure, type Source } from './draw.js';
import { colourZones, emptyDocument, entry, forServer, layersOf, printZones, replaceLayer, zoneKey } from './doc.js';
import { append, debounce, h, listen } from './dom.js';
import { Fonts } from './fonts.js';
import { History } from './history.js';
import { translator, type Key, type T } from './i18n.js';
import { buildColourZones, ZonePanel } from './panel.js';
import { Previews } from './preview.js';
import { formatMoney, quote } from './price.js';
import { canvasKey, globalKey } from './shortcuts.js';
import { buildViewer, Surfaces } from './stage.js';
import type { ModelTextures } from './texture3d.js';
import type { Timings } from './timings.js';
import type { AssetAnswer, DesignAnswer, DesignDocument, Layer, ProductAnswer, Quote, Zone } from './types.js';
import { ZoneCanvas } from './zone-canvas.js';

/** Env is what the frame gives the customizer. */
export interface Env {
  /** root is the element the customizer fills (#luneo-customizer). */
  root: HTMLElement;
  api: Api;
  locale: string;
  /** designLink is the design=<de_ token> of the frame URL, or ''. */
  designLink: string;
  /** post sends a message to the store page (the loader). */
  post(msg: object): void;
  /** pageUrl asks the loader for the store page's URL. */
  pageUrl(): Promise<string>;
  timings: Timings;
}

/** Customizer is the running app. */
export class Customizer {
  readonly t: T;
  readonly api: Api;
  product!: ProductAnswer;
  history!: History<DesignDocument>;
  zones: Zone[] = [];
  active = '';
  readonly selection = new Map<string, number>();
  readonly sources = new Map<string, Source>();
  readonly pixels = new Map<string, { width: number; height: number }>();
  readonly fonts: Fonts;
  readonly canvases = new Map<string, ZoneCanvas>();
  readonly warnings = new Map<string, string[]>();
  previews!: Previews;
  textures: ModelTextures | null = null;
  viewer!: ModelViewerElement;
  panel!: ZonePanel;
  actions!: Actions;
  /** gesture is true while a pointer drags a layer. */
  gesture = false;
  /** onChange are called after every change of the document. */
  readonly onChange: (() => void)[] = [];
  private readonly surfaces = new Surfaces(this);
  private server: { doc: DesignDocument; out: DesignDocument } | null = null;
  private readonly applied = new Map<string, string>();
  private serverQuote: { key: string; quote: Quote } | null = null;
  private priceEl!: HTMLElement;
  private statusEl!: HTMLElement;
  private alertEl!: HTMLElement;
  /** measure measures text in the fonts as loaded, for boxes and default sizes. */
  readonly measure = canvasMeasure();
  private readonly requote = debounce(() => void this.fetchQuote(), 700);

  constructor(readonly env: Env) {
    this.t = translator(env.locale);
    this.api = env.api;
    this.fonts = new Fonts(env.api, () => {
      this.canvas()?.draw();
      this.panel?.update();
    });
  }

  /** doc is the design as it stands. */
  get doc(): DesignDocument {
    return this.history.present;
  }

  /** serverDoc is the design as the server gets it (see forServer). */
  serverDoc(): DesignDocument {
    if (this.server?.doc !== this.doc) this.server = { doc: this.doc, out: forServer(this.doc) };
    return this.server.out;
  }

  /** start loads the product and builds the page. */
  async start(): Promise<void> {
    const { root } = this.env;
    root.dataset.customizer = 'loading';
    root.setAttribute('aria-busy', 'true');
    try {
      this.product = await this.api.product(this.env.designLink);
    } catch (err) {
      root.dataset.customizer = 'error';
      root.removeAttribute('aria-busy');
      root.hidden = false;
      append(root, h('p', { class: 'lw-error', role: 'alert', testid: 'load-error', text: this.t('error.load', { reason: errText(err) }) }));
      return;
    }
    this.env.timings.mark('product');
    this.zones = this.product.zones ?? [];
    this.history = new History(emptyDocument(this.product.product));
    this.active = printZones(this.zones)[0]?.id ?? '';
    this.previews = new Previews(this.api, {
      size: (id) => this.previewSize(id),
      key: (doc, id) => zoneKey(doc, id),
      onResult: (id, r) => this.previewArrived(id, r.warnings),
      onError: (id, err, key) => this.previewFailed(id, err, key),
      onBusy: (busy) => this.canvas()?.el.setAttribute('aria-busy', String(busy)),
    });
    this.build();
    root.dataset.customizer = 'ready';
    root.removeAttribute('aria-busy');
    root.hidden = false;
    this.changed();
    void this.surfaces.load();
    await this.reopen();
  }

  /** build makes the page: header, 3D stage, editor, actions, status. */
  private build(): void {
    const { t } = this;
    const p = this.product.product;
    this.priceEl = h('span', { testid: 'price' });
    this.statusEl = h('p', { class: 'lw-status', role: 'status', 'aria-live': 'polite', testid: 'status' });
    this.alertEl = h('p', { class: 'lw-alert', role: 'alert', testid: 'alert' });
    const stage = buildViewer(this);
    this.viewer = stage.viewer;
    this.faceZone(this.active);
    this.textures = stage.textures;
    this.actions = new Actions(this);
    this.panel = new ZonePanel(this);
    const editor = h('section', { class: 'lw-editor', 'aria-label': t('editor.label') },
      buildColourZones(this, colourZones(this.zones)), this.panel.el);
    append(this.env.root,
      h('header', { class: 'lw-head' }, h('h1', { class: 'lw-title', text: p.name }),
        h('p', { class: 'lw-price' }, h('span', { class: 'lw-sr', text: t('price.label') + ' ' }), this.priceEl)),
      this.actions.resumeEl,
      h('div', { class: 'lw-layout' }, h('section', { class: 'lw-stage', 'aria-label': t('stage.label') }, this.viewer), editor),
      this.actions.el, this.statusEl, this.alertEl, this.actions.dialog);
    listen<KeyboardEvent>(document, 'keydown', (e) => globalKey(this, e));
  }

  /** canvasFor returns (making it once) the canvas of a print zone. */
  canvasFor(z: Zone): ZoneCanvas {
    let c = this.canvases.get(z.id);
    if (c) return c;
    c = new ZoneCanvas(z, {
      layers: () => layersOf(this.doc, z.id),
      selected: () => this.selection.get(z.id) ?? -1,
      select: (i) => this.select(z.id, i),
      begin: () => {
        this.gesture = true;
        this.previews.cancel(z.id);
        this.history.begin();
      },
      live: (i, l) => this.liveLayer(z.id, i, l),
      end: () => {
        this.gesture = false;
        this.history.end();
        this.changed();
      },
      preview: () => this.previews.get(this.serverDoc(), z.id)?.bitmap ?? null,
      source: (a) => this.sources.get(a) ?? null,
      pixels: (a) => this.pixels.get(a) ?? null,
    }, this.measure, this.t('canvas.label', { zone: z.name }), this.t('canvas.role'));
    this.canvases.set(z.id, c);
    c.setMask(this.surfaces.mask(z.id));
    this.surfaces.dress(z.id);
    listen<KeyboardEvent>(c.el, 'keydown', (e) => canvasKey(this, z, e));
    return c;
  }

  /** canvas is the active zone's canvas. */
  canvas(): ZoneCanvas | undefined {
    return this.canvases.get(this.active);
  }

  zone(id = this.active): Zone | undefined {
    return this.zones.find((z) => z.id === id);
  }

  /** commit makes next the design, one undo step (see History.push for key). */
  commit(next: DesignDocument, key = ''): void {
    if (next === this.doc) return;
    this.history.push(next, key);
    this.changed();
  }

  /** select makes a layer of a zone the selected one (-1: none). */
  select(zoneId: string, index: number): void {
    if ((this.selection.get(zoneId) ?? -1) === index) return;
    this.selection.set(zoneId, index);
    this.canvases.get(zoneId)?.draw();
    this.panel.update();
  }

  private liveLayer(zoneId: string, index: number, l: Layer): void {
    this.history.live(replaceLayer(this.doc, zoneId, index, l));
    this.panel.live();
    this.updatePrice();
  }

  /** changed spreads a change of the document to everything that shows it. */
  changed(): void {
    for (const [id, i] of this.selection) {
      const n = layersOf(this.doc, id).length;
      if (i >= n) this.selection.set(id, n - 1);
    }
    for (const z of printZones(this.zones)) this.refreshZone(z);
    this.canvas()?.draw();
    this.panel.update();
    this.actions.update();
    this.updatePrice();
    for (const z of colourZones(this.zones)) {
      this.textures?.setColour(z.material, entry(this.doc, z.id)?.colour ?? '');
      this.surfaces.dressMaterial(z.material);
    }
    for (const fn of this.onChange) fn();
  }

  /** refreshZone puts the server's drawing of a zone on the model, or asks for it. */
  private refreshZone(z: Zone): void {
    const doc = this.serverDoc();
    const key = zoneKey(doc, z.id);
    if (this.applied.get(z.id) === key) {
      // Back to what the model shows (typed and erased a letter): the
      // drawing asked for meanwhile is not needed.
      this.previews.cancel(z.id);
      return;
    }
    if (key === '[]') {
      this.applied.set(z.id, key);
      this.previews.cancel(z.id);
      this.textures?.setZone(z, null);
      this.warnings.delete(z.id);
      return;
    }
    const cached = this.previews.get(doc, z.id);
    if (cached) {
      this.applied.set(z.id, key);
      this.textures?.setZone(z, cached.bitmap);
      this.warnings.set(z.id, cached.warnings);
      return;
    }
    if (!this.gesture) this.previews.schedule(doc, z.id);
  }

  private previewArrived(zoneId: string, warnings: string[]): void {
    this.warnings.set(zoneId, warnings);
    const z = this.zone(zoneId);
    if (z) this.refreshZone(z);
    this.canvases.get(zoneId)?.draw();
    if (zoneId === this.active) this.panel.update();
  }

  private previewFailed(zoneId: string, err: ApiError, key: string): void {
    if (err.status === 429) {
      this.say(this.t('preview.slow', { seconds: err.retryAfter || 1 }));
      return;
    }
    // The zone is not asked for again until it changes.
    this.applied.set(zoneId, key);
    this.warnings.set(zoneId, [err.status === 0 ? this.t('preview.failed') : err.message]);
    if (zoneId === this.active) this.panel.update();
  }

  /** previewSize is the longest side to ask a zone's drawing at: enough for its canvas and its texture. */
  private previewSize(zoneId: string): number {
    const z = this.zone(zoneId);
    const max = Math.max(64, Math.min(1024, this.product.limits?.preview_max || 1024));
    const want = Math.max(this.canvases.get(zoneId)?.previewSize() ?? 512, z ? (this.textures?.zonePixels(z) ?? 0) : 0);
    return Math.max(64, Math.min(max, want));
  }

  /** priceNow is the price of the design: the server's when it has quoted this very design. */
  priceNow(): Quote {
    const doc = this.serverDoc();
    if (this.serverQuote && this.serverQuote.key === JSON.stringify(doc)) return this.serverQuote.quote;
    return quote(this.product.product, this.product.pricing?.rules ?? [], this.zones, doc,
      (zone, type, n) => (type ? this.t(n > 1 ? 'price.lines' : 'price.line', { zone, type: this.t(('layer.' + type) as Key), n: String(n) }) : zone));
  }

  /** acceptQuote records the server's price of a design (a save's, or a quote's). */
  acceptQuote(doc: DesignDocument, q: Quote | null): void {
    if (!q) return;
    this.serverQuote = { key: JSON.stringify(doc), quote: q };
    this.updatePrice();
  }

  formatPrice(amount: number): string {
    const p = this.product.product;
    return formatMoney(amount, p.currency, p.currency_digits, this.env.locale);
  }

  private updatePrice(): void {
    const q = this.priceNow();
    this.priceEl.textContent = this.formatPrice(q.amount);
    this.priceEl.dataset.amount = String(q.amount);
    this.priceEl.title = q.lines.map((l) => l.label + ': ' + this.formatPrice(l.amount)).join('\n');
    if (!this.gesture && this.serverQuote?.key !== JSON.stringify(this.serverDoc()) && this.doc.zones.length > 0) this.requote();
  }

  private async fetchQuote(): Promise<void> {
    const doc = this.serverDoc();
    try {
      this.acceptQuote(doc, await this.api.quote(doc));
    } catch {
      // The rules computed here stand until a save answers.
    }
  }

  /** reopen loads the design of the frame URL's link (opened with the product), or offers the shopper's last one. */
  private async reopen(): Promise<void> {
    const opened = this.product.design;
    try {
      if (this.env.designLink) {
        // The product answer carries the design the link opens, or none
        // when the link no longer opens one (revoked, deleted).
        if (opened?.document) this.load(opened, this.env.designLink);
        else this.alert(this.t('error.reopen', { reason: this.t('error.linkGone') }));
        return;
      }
      const mine = await this.api.mine();
      if (mine[0]) this.actions.offerResume(mine[0]);
    } catch (err) {
      this.alert(this.t('error.reopen', { reason: errText(err) }));
    }
  }

  /**
   * load opens a saved design. Over work in progress it is one undo step
   * (the shopper can go back to what they had); on a fresh start there is
   * nothing to undo.
   */
  load(a: DesignAnswer, link: string): void {
    if (!a.document) return;
    if (this.doc.zones.length > 0) this.history.push(a.document);
    else this.history.reset(a.document);
    this.selection.clear();
    this.actions.saved(a, a.document, link);
    for (const dz of a.document.zones) {
      for (const l of dz.layers ?? []) if (l.type === 'text') void this.fonts.load(l.font);
    }
    // Its images, for the canvas's own drawing while the shopper edits
    // (the server's preview needs none of them).
    for (const img of Object.values(a.assets ?? {})) void this.loadAsset(img);
    this.changed();
    this.say(this.t('design.opened', { name: a.design.name || this.product.product.name }));
  }

  /** loadAsset decodes a stored image of a reopened design into the canvas's sources. */
  private async loadAsset(img: AssetAnswer): Promise<void> {
    if (!img.url || this.sources.has(img.sha256)) return;
    try {
      const r = await fetch(img.url, { credentials: 'omit' });
      if (!r.ok) return;
      const bitmap = await createImageBitmap(await r.blob(), { imageOrientation: 'from-image' });
      this.sources.set(img.sha256, { bitmap, width: img.width, height: img.height });
      this.canvas()?.draw();
    } catch {
      // The canvas keeps its placeholder; the server's preview still shows the image.
    }
  }

  /**
   * faceZone turns the 3D view to the zone being edited (the orbit the
   * server found facing its centre), as a shopper turns a mug to its print.
   */
  faceZone(id: string): void {
    const v = this.zone(id)?.view;
    if (!this.viewer || !v) return;
    this.viewer.setAttribute('camera-orbit', `${v.theta}deg ${v.phi}deg auto`);
  }

  /** say announces a message to screen readers and shows it. */
  say(msg: string): void {
    this.statusEl.textContent = msg;
    this.alertEl.textContent = '';
  }

  /** alert shows an error, announced at once. */
  alert(msg: string): void {
    this.alertEl.textContent = msg;
  }

  undo(): void {
    if (this.history.undo()) {
      this.changed();
      this.say(this.t('history.undone'));
    }
  }

  redo(): void {
    if (this.history.redo()) {
      this.changed();
      this.say(this.t('history.redone'));
    }
  }
}
