// The zone canvas: one print zone at its real proportions, with a margin
// around it for handles, where the shopper moves, scales and turns layers
// by pointer (mouse, pen, touch; two fingers pinch and turn). It shows the
// product's surface under the zone, the layers drawn locally while they
// change, and the server's preview (what will print) once it matches the
// document. Keys are the app's business (app.ts listens on this canvas).

import { drawLayers, type Source } from './draw.js';
import { clear } from './dom.js';
import { moved, round4, zoneSize } from './doc.js';
import {
  contains, corners, handles, imageBox, scaleFactor, scaledImage, scaledText, snapAngle, textBox, turnAngle,
  type Box, type Pt, type TextMeasure,
} from './geometry.js';
import { maxScale } from './imagecheck.js';
import type { Layer, Zone } from './types.js';

/** Host is what the canvas reads and tells while the shopper works. */
export interface Host {
  layers(): Layer[];
  selected(): number;
  select(index: number): void;
  begin(): void;
  live(index: number, layer: Layer): void;
  end(): void;
  /** preview is the server's drawing when it matches the current layers. */
  preview(): ImageBitmap | null;
  source(asset: string): Source | null;
  /** pixels is the pixel size of an uploaded asset, if known. */
  pixels(asset: string): { width: number; height: number } | null;
}

/** Surface is what lies under the zone: part of a texture, or a colour. */
export interface Surface {
  bitmap: ImageBitmap | null;
  /** the zone's rectangle in the bitmap's pixels */
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  colour: string;
}

type Mode = 'move' | 'scale' | 'rotate' | 'pinch';

interface Gesture {
  mode: Mode;
  index: number;
  start: Pt;
  layer: Layer;
  box: Box;
  pinch?: { d: number; a: number };
}

const maxCSSHeight = 520;
const handleCSS = 22; // px: hit radius of a handle, a finger's width

/** ZoneCanvas draws one zone and turns pointer gestures into layer edits. */
export class ZoneCanvas {
  readonly el: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly off = document.createElement('canvas');
  private zw = 100;
  private zh = 100;
  private margin = 10;
  private cssPerMM = 1;
  private dpr = 1;
  private frame = 0;
  private gesture: Gesture | null = null;
  private readonly pointers = new Map<number, Pt>();
  private mask: HTMLCanvasElement | null = null;
  private surface: Surface | null = null;

  constructor(
    private readonly zone: Zone,
    private readonly host: Host,
    private readonly measure: TextMeasure,
    label: string,
    roleDescription: string,
  ) {
    const s = zoneSize(zone);
    this.zw = s.w;
    this.zh = s.h;
    this.margin = Math.max(s.w, s.h) * 0.08;
    this.el = document.createElement('canvas');
    this.el.className = 'lw-canvas';
    this.el.tabIndex = 0;
    this.el.setAttribute('role', 'application');
    this.el.setAttribute('aria-roledescription', roleDescription);
    this.el.setAttribute('aria-label', label);
    this.el.dataset.testid = 'zone-canvas-' + zone.id;
    const ctx = this.el.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.el.addEventListener('pointerdown', (e) => this.down(e));
    this.el.addEventListener('pointermove', (e) => this.move(e));
    this.el.addEventListener('pointerup', (e) => this.up(e));
    this.el.addEventListener('pointercancel', (e) => this.up(e));
    this.el.addEventListener('lostpointercapture', (e) => this.up(e));
  }

  /** setMask applies the zone's mask (an alpha canvas) to local drawing. */
  setMask(m: HTMLCanvasElement | null): void {
    this.mask = m;
    this.draw();
  }

  setSurface(s: Surface): void {
    this.surface = s;
    this.draw();
  }

  /** resize fits the canvas to width CSS pixels (and at most 520 high). */
  resize(width: number): void {
    if (width <= 0) return;
    const vw = this.zw + 2 * this.margin;
    const vh = this.zh + 2 * this.margin;
    this.cssPerMM = Math.min(width / vw, maxCSSHeight / vh);
    this.dpr = Math.min(3, window.devicePixelRatio || 1);
    this.el.style.width = Math.round(vw * this.cssPerMM) + 'px';
    this.el.style.height = Math.round(vh * this.cssPerMM) + 'px';
    this.el.width = Math.round(vw * this.cssPerMM * this.dpr);
    this.el.height = Math.round(vh * this.cssPerMM * this.dpr);
    this.draw();
  }

  /** previewSize is the longest side, in pixels, the server preview should have for this canvas. */
  previewSize(): number {
    return Math.ceil(Math.max(this.zw, this.zh) * this.cssPerMM * this.dpr);
  }

  /** boxOf is a layer's box (null for a fill, which covers the zone). */
  boxOf(l: Layer): Box | null {
    if (l.type === 'image') return imageBox(l);
    if (l.type === 'text') return textBox(l, this.measure);
    return null;
  }

  /** draw repaints on the next animation frame. */
  draw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const { ctx } = this;
    const k = this.cssPerMM * this.dpr; // device px per mm
    const ox = this.margin * k;
    const oy = this.margin * k;
    const zw = Math.round(this.zw * k);
    const zh = Math.round(this.zh * k);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.el.width, this.el.height);
    const s = this.surface;
    ctx.fillStyle = s?.colour || '#ffffff';
    ctx.fillRect(ox, oy, zw, zh);
    if (s?.bitmap) ctx.drawImage(s.bitmap, s.sx, s.sy, s.sw, s.sh, ox, oy, zw, zh);

    const server = this.gesture ? null : this.host.preview();
    // Which drawing shows: "server" is what will print (tests read it).
    this.el.dataset.drawn = server ? 'server' : 'local';
    if (server) {
      ctx.drawImage(server, ox, oy, zw, zh);
    } else {
      this.off.width = Math.max(1, zw);
      this.off.height = Math.max(1, zh);
      const o = this.off.getContext('2d');
      if (o) {
        drawLayers(o, this.host.layers(), k, this.zw, this.zh, (a) => this.host.source(a));
        if (this.mask) {
          o.globalCompositeOperation = 'destination-in';
          o.drawImage(this.mask, 0, 0, zw, zh);
          o.globalCompositeOperation = 'source-over';
        }
        ctx.drawImage(this.off, ox, oy);
      }
    }
    // The zone's edge and its safe area.
    ctx.lineWidth = Math.max(1, this.dpr);
    ctx.strokeStyle = 'rgb(60 64 80 / 70%)';
    ctx.strokeRect(ox + 0.5, oy + 0.5, zw - 1, zh - 1);
    if (this.zone.safe_mm > 0) {
      const m = this.zone.safe_mm * k;
      ctx.setLineDash([6 * this.dpr, 4 * this.dpr]);
      ctx.strokeStyle = 'rgb(91 76 240 / 60%)';
      ctx.strokeRect(ox + m, oy + m, zw - 2 * m, zh - 2 * m);
      ctx.setLineDash([]);
    }
    this.paintSelection(k, ox, oy);
  }

  private paintSelection(k: number, ox: number, oy: number): void {
    const l = this.host.layers()[this.host.selected()];
    const b = l ? this.boxOf(l) : null;
    if (!b) return;
    const { ctx } = this;
    const px = (p: Pt): Pt => ({ x: ox + p.x * k, y: oy + p.y * k });
    const cs = corners(b).map(px);
    ctx.lineWidth = 2 * this.dpr;
    ctx.strokeStyle = '#5b4cf0';
    ctx.beginPath();
    cs.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
    ctx.closePath();
    ctx.stroke();
    const hd = handles(b, this.rotateOffset());
    const r = px(hd.rotate);
    const top = px(hd.topMid);
    ctx.beginPath();
    ctx.moveTo(top.x, top.y);
    ctx.lineTo(r.x, r.y);
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    const size = 7 * this.dpr;
    ctx.beginPath();
    ctx.arc(r.x, r.y, size, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    const sc = px(hd.scale);
    ctx.fillRect(sc.x - size, sc.y - size, 2 * size, 2 * size);
    ctx.strokeRect(sc.x - size, sc.y - size, 2 * size, 2 * size);
  }

  /** rotateOffset is how far above a box its rotate handle sits, in mm. */
  private rotateOffset(): number {
    return 28 / this.cssPerMM;
  }

  /** toMM converts a pointer position to the zone's millimetres. */
  private toMM(e: PointerEvent): Pt {
    const r = this.el.getBoundingClientRect();
    return { x: (e.clientX - r.left) / this.cssPerMM - this.margin, y: (e.clientY - r.top) / this.cssPerMM - this.margin };
  }

  private down(e: PointerEvent): void {
    const p = this.toMM(e);
    this.pointers.set(e.pointerId, p);
    this.el.setPointerCapture(e.pointerId);
    // Pointer focus: the keys work at once, without the keyboard focus ring.
    this.el.focus({ preventScroll: true, focusVisible: false } as FocusOptions);
    e.preventDefault();
    if (this.pointers.size === 2 && this.gesture) {
      this.startPinch();
      return;
    }
    if (this.pointers.size > 1) return;
    const layers = this.host.layers();
    const hit = handleCSS / this.cssPerMM;
    const sel = this.host.selected();
    const selLayer = layers[sel];
    const selBox = selLayer ? this.boxOf(selLayer) : null;
    let mode: Mode | null = null;
    let index = -1;
    if (selLayer && selBox) {
      const hd = handles(selBox, this.rotateOffset());
      if (Math.hypot(p.x - hd.scale.x, p.y - hd.scale.y) <= hit) mode = 'scale';
      else if (Math.hypot(p.x - hd.rotate.x, p.y - hd.rotate.y) <= hit) mode = 'rotate';
      if (mode) index = sel;
    }
    if (!mode) {
      for (let i = layers.length - 1; i >= 0; i--) {
        const l = layers[i];
        const b = l ? this.boxOf(l) : null;
        if (b && contains(b, p, 4 / this.cssPerMM)) {
          index = i;
          mode = 'move';
          break;
        }
      }
    }
    if (index !== sel) this.host.select(index);
    const layer = layers[index];
    const box = layer ? this.boxOf(layer) : null;
    if (!mode || !layer || !box) return;
    this.gesture = { mode, index, start: p, layer, box };
    this.host.begin();
  }

  private startPinch(): void {
    const g = this.gesture;
    if (!g) return;
    const [a, b] = [...this.pointers.values()] as [Pt, Pt];
    const layer = this.host.layers()[g.index];
    const box = layer ? this.boxOf(layer) : null;
    if (!layer || !box) return;
    this.gesture = { mode: 'pinch', index: g.index, start: a, layer, box,
      pinch: { d: Math.hypot(b.x - a.x, b.y - a.y), a: Math.atan2(b.y - a.y, b.x - a.x) } };
  }

  private move(e: PointerEvent): void {
    if (!this.pointers.has(e.pointerId)) return;
    const p = this.toMM(e);
    this.pointers.set(e.pointerId, p);
    const g = this.gesture;
    if (!g) return;
    e.preventDefault();
    const next = this.apply(g, p, e.shiftKey);
    if (next) {
      this.host.live(g.index, next);
      this.draw();
    }
  }

  /** apply computes the gestured layer for pointer position p. */
  private apply(g: Gesture, p: Pt, fine: boolean): Layer | null {
    const l = g.layer;
    if (l.type === 'colour') return null;
    switch (g.mode) {
      case 'move': {
        const dx = p.x - g.start.x;
        const dy = p.y - g.start.y;
        // Keep the layer's pivot on the zone: a layer wholly outside
        // would not print (the server refuses it).
        const px = Math.min(this.zw, Math.max(0, g.box.pivot.x + dx));
        const py = Math.min(this.zh, Math.max(0, g.box.pivot.y + dy));
        return moved(l, px - g.box.pivot.x, py - g.box.pivot.y);
      }
      case 'scale':
        return this.scaled(l, scaleFactor(g.box.pivot, g.start, p));
      case 'rotate': {
        const deg = l.rotation + turnAngle(g.box.pivot, g.start, p);
        return { ...l, rotation: fine ? round4(((deg % 360) + 360) % 360) : snapAngle(deg) };
      }
      case 'pinch': {
        const [a, b] = [...this.pointers.values()] as [Pt, Pt];
        if (!a || !b || !g.pinch) return null;
        const k = Math.hypot(b.x - a.x, b.y - a.y) / Math.max(1e-6, g.pinch.d);
        const turn = ((Math.atan2(b.y - a.y, b.x - a.x) - g.pinch.a) * 180) / Math.PI;
        const s = this.scaled(l, k);
        return { ...s, rotation: snapAngle(l.rotation + turn) } as Layer;
      }
    }
  }

  /** scaled grows a layer by k, an image no further than its minimum DPI allows. */
  scaled(l: Layer, k: number): Layer {
    if (l.type === 'text') return scaledText(l, k, this.zone.min_text_pt || 0);
    if (l.type !== 'image') return l;
    const px = this.host.pixels(l.asset);
    let f = Math.max(k, 2 / Math.max(1e-6, Math.min(l.width_mm, l.height_mm))); // at least 2 mm
    if (px) {
      const c = l.crop ?? { width: 1, height: 1 };
      f = Math.min(f, maxScale(px.width * c.width, px.height * c.height, l.width_mm, l.height_mm, this.zone.min_image_dpi));
    }
    return scaledImage(l, f);
  }

  private up(e: PointerEvent): void {
    if (!this.pointers.delete(e.pointerId)) return;
    if (this.pointers.size > 0 && this.gesture?.mode === 'pinch') {
      // One finger left: go on moving with the other from here.
      const p = [...this.pointers.values()][0] as Pt;
      const layer = this.host.layers()[this.gesture.index];
      const box = layer ? this.boxOf(layer) : null;
      if (layer && box) this.gesture = { mode: 'move', index: this.gesture.index, start: p, layer, box };
      return;
    }
    if (this.pointers.size > 0) return;
    if (this.gesture) {
      this.gesture = null;
      this.host.end();
      this.draw();
    }
  }

  /** detach empties the element (the app drops the canvas with its tab). */
  detach(): void {
    cancelAnimationFrame(this.frame);
    clear(this.el);
  }
}
