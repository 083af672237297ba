// The zone editor island. It turns every element with data-zone-editor into
// an editor of a product's print zones:
//
//   <div class="zone-editor" data-zone-editor
//        data-materials='[{"name":"Body","texture_url":"/…/tex.png","width":1024,"height":1024}]'
//        data-zones='[{"id":"z1","name":"Front","material":"Body","u0":0.1,"v0":0.1,"u1":0.5,"v1":0.4}]'
//        data-endpoint="/api/products/ID/zones"
//        data-body-template='{"name":"$name","material":"$material","uv":{"u0":"$u0","v0":"$v0","u1":"$u1","v1":"$v1"}}'>
//   </div>
//
// (the "zone-editor" template partial writes it). It lists the materials,
// draws the selected material's base colour texture on a <canvas> with each
// of its zones as a rectangle (glTF UV: origin at the top-left of the image,
// u → x, v → y), and lets the user drag a new rectangle, or type its
// coordinates, name it and save it: a same-origin POST of the JSON body to
// data-endpoint (see defaultBodyTemplate in lib/zones.ts for the body and
// its placeholders). Without data-endpoint the editor is read-only.
//
// After a save the element fires "zone-editor:saved" (bubbling) with the
// zone as detail, so a page can refresh what depends on the zones.
//
// No inline styles (the CSP forbids them): every look is a class in app.css.

import {
  type Material,
  type UVRect,
  type Zone,
  defaultBodyTemplate,
  fillTemplate,
  parseJSONAttr,
  problemMessage,
  rectFrom,
  rectProblem,
  roundUV,
  toMaterials,
  toZone,
} from './lib/zones.js';

/** Longest side of the canvas in pixels; larger textures are scaled down. */
const maxCanvasSide = 2048;
/** Side of the blank canvas of a material without a texture. */
const blankSide = 512;
/** Drags smaller than this (in UV units, both ways) are taken as clicks. */
const minDrag = 0.005;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

function materialLabel(m: Material, i: number): string {
  return m.name !== '' ? m.name : `Material ${i + 1} (unnamed)`;
}

function formatRect(r: UVRect): string {
  return `u ${r.u0.toFixed(3)}–${r.u1.toFixed(3)}, v ${r.v0.toFixed(3)}–${r.v1.toFixed(3)}`;
}

/** ZoneEditor is one editor, bound to its container element. */
class ZoneEditor {
  private readonly root: HTMLElement;
  private readonly materials: Material[];
  private readonly zones: Zone[];
  private readonly endpoint: string;
  private readonly bodyTemplate: unknown;
  private selected = 0;
  private image: HTMLImageElement | null = null;
  private draft: UVRect | null = null;
  private dragStart: { u: number; v: number } | null = null;

  private readonly materialList = h('ul', { class: 'zone-editor-materials' });
  private readonly zoneList = h('ul', { class: 'zone-editor-zones' });
  private readonly canvas = h('canvas', { class: 'zone-editor-canvas' });
  private readonly caption = h('p', { class: 'zone-editor-caption' });
  private readonly status = h('p', { class: 'zone-editor-status', role: 'status', 'aria-live': 'polite' });
  private readonly form = h('form', { class: 'zone-editor-form', novalidate: '' });
  private readonly nameInput = h('input', { type: 'text', name: 'name', required: '', maxlength: '100', autocomplete: 'off' });
  private readonly uvInputs: Record<keyof UVRect, HTMLInputElement> = {
    u0: this.uvInput('u0'),
    v0: this.uvInput('v0'),
    u1: this.uvInput('u1'),
    v1: this.uvInput('v1'),
  };
  private readonly saveButton = h('button', { type: 'submit', class: 'button button-small', text: 'Save zone' });

  constructor(root: HTMLElement) {
    this.root = root;
    this.materials = toMaterials(parseJSONAttr(root, 'data-materials', []));
    const zones = parseJSONAttr(root, 'data-zones', []);
    this.zones = (Array.isArray(zones) ? zones : []).map(toZone).filter((z): z is Zone => z !== null);
    this.endpoint = root.dataset.endpoint ?? '';
    this.bodyTemplate = parseJSONAttr(root, 'data-body-template', defaultBodyTemplate);
    this.render();
  }

  private uvInput(name: keyof UVRect): HTMLInputElement {
    return h('input', { type: 'number', name, min: '0', max: '1', step: '0.001', required: '', inputmode: 'decimal' });
  }

  private get material(): Material | undefined {
    return this.materials[this.selected];
  }

  private get editable(): boolean {
    return this.endpoint !== '';
  }

  /** render builds the editor's DOM once; later changes redraw parts of it. */
  private render(): void {
    this.root.replaceChildren();
    if (this.materials.length === 0) {
      this.root.append(h('p', { class: 'zone-editor-empty', text: 'This model has no materials, so it has no place for print zones.' }));
      return;
    }
    this.root.classList.add('zone-editor-ready');

    const side = h(
      'div',
      { class: 'zone-editor-side' },
      h('h3', { class: 'zone-editor-heading', text: 'Materials' }),
      this.materialList,
      h('h3', { class: 'zone-editor-heading', text: 'Zones' }),
      this.zoneList,
    );
    const stage = h('div', { class: 'zone-editor-stage' }, this.canvas, this.caption);
    if (this.editable) {
      this.canvas.classList.add('zone-editor-canvas-editable');
      stage.append(this.buildForm());
      this.canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
      this.canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
      this.canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
      this.canvas.addEventListener('pointercancel', () => this.cancelDrag());
    }
    stage.append(this.status);
    this.root.append(h('div', { class: 'zone-editor-layout' }, side, stage));
    this.select(0);
  }

  private buildForm(): HTMLDivElement {
    const id = (n: string) => `${this.root.id || 'zone-editor'}-${n}`;
    this.nameInput.id = id('name');
    const uvFields = (Object.keys(this.uvInputs) as (keyof UVRect)[]).map((k) => {
      const input = this.uvInputs[k];
      input.id = id(k);
      input.addEventListener('input', () => this.onUVInput());
      return h('div', { class: 'zone-editor-uv-field' }, h('label', { for: input.id, text: k }), input);
    });
    const cancel = h('button', { type: 'button', class: 'button button-small button-secondary', text: 'Cancel' });
    cancel.addEventListener('click', () => this.closeForm());
    this.form.append(
      h('div', { class: 'field' }, h('label', { for: this.nameInput.id, text: 'Zone name' }), this.nameInput),
      h(
        'fieldset',
        { class: 'zone-editor-uv' },
        h('legend', { text: 'Rectangle in UV space (0 to 1, origin at the top left)' }),
        ...uvFields,
      ),
      h('div', { class: 'zone-editor-actions' }, this.saveButton, cancel),
    );
    this.form.hidden = true;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });

    const add = h('button', { type: 'button', class: 'button button-small button-secondary zone-editor-new', text: 'New zone' });
    add.addEventListener('click', () => this.openForm({ u0: 0.25, v0: 0.25, u1: 0.75, v1: 0.75 }));
    const hint = h('p', { class: 'zone-editor-hint', text: 'Drag on the texture to draw a new zone, or ' }, add);
    return h('div', { class: 'zone-editor-edit' }, hint, this.form);
  }

  /** select shows material i: its button pressed, its texture and zones. */
  private select(i: number): void {
    this.selected = i;
    this.closeForm();
    this.renderMaterials();
    this.renderZones();
    const m = this.material;
    this.image = null;
    this.sizeCanvas(m?.width || blankSide, m?.height || blankSide);
    this.caption.textContent = '';
    this.draw();
    if (m?.texture_url) {
      const img = new Image();
      img.decoding = 'async';
      img.addEventListener('load', () => {
        if (this.material !== m) return; // another material was picked meanwhile
        this.image = img;
        this.sizeCanvas(img.naturalWidth, img.naturalHeight);
        this.caption.textContent = `${materialLabel(m, i)}: base colour texture, ${img.naturalWidth} × ${img.naturalHeight} px`;
        this.root.dataset.textureLoaded = materialLabel(m, i);
        this.draw();
      });
      img.addEventListener('error', () => {
        if (this.material !== m) return;
        this.caption.textContent = `The texture of ${materialLabel(m, i)} could not be loaded.`;
      });
      img.src = m.texture_url;
    } else if (m) {
      this.caption.textContent = `${materialLabel(m, i)} has no base colour texture: zones are drawn on the blank UV square.`;
    }
    this.canvas.setAttribute(
      'aria-label',
      `UV layout of ${m ? materialLabel(m, i) : 'the material'}` + (this.editable ? '; drag to draw a new zone' : ''),
    );
  }

  private renderMaterials(): void {
    this.materialList.replaceChildren(
      ...this.materials.map((m, i) => {
        const count = this.zones.filter((z) => z.material === m.name).length;
        const size = m.width && m.height ? `${m.width} × ${m.height}` : m.texture_url ? 'texture' : 'no texture';
        const b = h(
          'button',
          { type: 'button', class: 'zone-editor-material', 'aria-pressed': String(i === this.selected) },
          h('span', { class: 'zone-editor-material-name', text: materialLabel(m, i) }),
          h('span', { class: 'zone-editor-meta', text: `${size} · ${count} zone${count === 1 ? '' : 's'}` }),
        );
        b.addEventListener('click', () => this.select(i));
        return h('li', {}, b);
      }),
    );
  }

  private renderZones(): void {
    const mine = this.zones.filter((z) => z.material === this.material?.name);
    if (mine.length === 0) {
      this.zoneList.replaceChildren(h('li', { class: 'zone-editor-meta', text: 'No zones on this material yet.' }));
      return;
    }
    this.zoneList.replaceChildren(
      ...mine.map((z) =>
        h('li', { class: 'zone-editor-zone' }, h('span', { text: z.name }), h('span', { class: 'zone-editor-meta', text: formatRect(z) })),
      ),
    );
  }

  private sizeCanvas(w: number, h: number): void {
    const scale = Math.min(1, maxCanvasSide / Math.max(w, h, 1));
    this.canvas.width = Math.max(1, Math.round(w * scale));
    this.canvas.height = Math.max(1, Math.round(h * scale));
  }

  /** draw paints the texture (or a blank square), the zones and the draft. */
  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width: W, height: H } = this.canvas;
    ctx.clearRect(0, 0, W, H);
    if (this.image) {
      ctx.drawImage(this.image, 0, 0, W, H);
    } else {
      ctx.fillStyle = '#e5e7eb';
      ctx.fillRect(0, 0, W, H);
    }
    const line = Math.max(2, Math.round(Math.max(W, H) / 256));
    const font = Math.max(12, Math.round(Math.max(W, H) / 40));
    ctx.font = `600 ${font}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    for (const z of this.zones) {
      if (z.material !== this.material?.name) continue;
      this.drawRect(ctx, z, '#2563eb', 'rgba(37, 99, 235, 0.18)', line, []);
      const x = z.u0 * W + line * 2;
      const y = z.v0 * H + line * 2;
      ctx.lineWidth = Math.max(2, font / 6);
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.strokeText(z.name, x, y);
      ctx.fillStyle = '#1e3a8a';
      ctx.fillText(z.name, x, y);
    }
    if (this.draft) {
      this.drawRect(ctx, this.draft, '#dc2626', 'rgba(220, 38, 38, 0.15)', line, [line * 3, line * 2]);
    }
  }

  private drawRect(ctx: CanvasRenderingContext2D, r: UVRect, stroke: string, fill: string, line: number, dash: number[]): void {
    const { width: W, height: H } = this.canvas;
    const x = r.u0 * W;
    const y = r.v0 * H;
    const w = (r.u1 - r.u0) * W;
    const hgt = (r.v1 - r.v0) * H;
    ctx.fillStyle = fill;
    ctx.fillRect(x, y, w, hgt);
    ctx.setLineDash(dash);
    ctx.lineWidth = line;
    ctx.strokeStyle = stroke;
    ctx.strokeRect(x + line / 2, y + line / 2, Math.max(0, w - line), Math.max(0, hgt - line));
    ctx.setLineDash([]);
  }

  /** uvAt maps a pointer position to UV, using the canvas's displayed box. */
  private uvAt(e: PointerEvent): { u: number; v: number } {
    const box = this.canvas.getBoundingClientRect();
    return {
      u: roundUV((e.clientX - box.left) / Math.max(1, box.width)),
      v: roundUV((e.clientY - box.top) / Math.max(1, box.height)),
    };
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.dragStart = this.uvAt(e);
    this.draft = rectFrom(this.dragStart, this.dragStart);
    this.draw();
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.dragStart) return;
    this.draft = rectFrom(this.dragStart, this.uvAt(e));
    this.draw();
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.dragStart) return;
    const r = rectFrom(this.dragStart, this.uvAt(e));
    this.dragStart = null;
    if (r.u1 - r.u0 < minDrag || r.v1 - r.v0 < minDrag) {
      this.cancelDrag(); // a click, not a drag
      return;
    }
    this.openForm(r);
  }

  private cancelDrag(): void {
    this.dragStart = null;
    if (this.form.hidden) {
      this.draft = null;
      this.draw();
    }
  }

  private openForm(r: UVRect): void {
    this.draft = r;
    for (const k of Object.keys(this.uvInputs) as (keyof UVRect)[]) {
      this.uvInputs[k].value = String(r[k]);
    }
    this.form.hidden = false;
    this.setStatus('');
    this.draw();
    this.nameInput.focus();
  }

  private closeForm(): void {
    this.form.hidden = true;
    this.form.reset();
    this.draft = null;
    this.dragStart = null;
  }

  private formRect(): UVRect {
    const v = (k: keyof UVRect) => Number(this.uvInputs[k].value);
    return { u0: v('u0'), v0: v('v0'), u1: v('u1'), v1: v('v1') };
  }

  private onUVInput(): void {
    const r = this.formRect();
    if (rectProblem(r) === '') {
      this.draft = r;
      this.draw();
    }
  }

  private setStatus(msg: string, error = false): void {
    this.status.textContent = msg;
    this.status.classList.toggle('zone-editor-status-error', error);
    if (error) this.status.setAttribute('role', 'alert');
    else this.status.setAttribute('role', 'status');
  }

  /** save POSTs the zone in the form and adds what the server returns. */
  private async save(): Promise<void> {
    const m = this.material;
    if (!m) return;
    const name = this.nameInput.value.trim();
    const r = this.formRect();
    const problem = name === '' ? 'Give the zone a name.' : rectProblem(r);
    if (problem !== '') {
      this.setStatus(problem, true);
      return;
    }
    const values = { name, material: m.name, u0: r.u0, v0: r.v0, u1: r.u1, v1: r.v1 };
    this.saveButton.disabled = true;
    this.setStatus('Saving…');
    try {
      const resp = await fetch(this.endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(fillTemplate(this.bodyTemplate, values)),
      });
      const isJSON = /json/.test(resp.headers.get('Content-Type') ?? '');
      const body: unknown = isJSON ? await resp.json().catch(() => null) : null;
      if (!resp.ok) {
        this.setStatus(problemMessage(resp.status, body), true);
        return;
      }
      // Prefer the server's copy (it has the ID and any normalisation).
      const saved = toZone(body) ?? { ...values };
      if (saved.material === '') saved.material = m.name;
      this.zones.push(saved);
      this.closeForm();
      this.renderMaterials();
      this.renderZones();
      this.draw();
      this.setStatus(`Zone “${saved.name}” saved.`);
      this.root.dispatchEvent(new CustomEvent('zone-editor:saved', { bubbles: true, detail: saved }));
    } catch {
      this.setStatus('The zone could not be saved: the server did not answer. Check your connection and try again.', true);
    } finally {
      this.saveButton.disabled = false;
    }
  }
}

function start(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-zone-editor]')) {
    if (el.dataset.zoneEditorReady !== undefined) continue;
    el.dataset.zoneEditorReady = '';
    try {
      new ZoneEditor(el);
    } catch (err) {
      el.replaceChildren(h('p', { class: 'alert alert-error', text: `The zone editor could not start: ${(err as Error).message}.` }));
    }
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start, { once: true });
} else {
  start();
}
