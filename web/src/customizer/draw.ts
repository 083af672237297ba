// Drawing a zone's layers on a 2D canvas, for the instant feedback while the
// shopper edits: text with the very font file the server prints with,
// images from the shopper's own file (a local blob, no round trip), fills,
// then the zone's mask. Everything is placed in device pixels from the
// document's millimetres (k pixels per mm), so small type is drawn at its
// real size rather than scaled up from a tiny one. The server's preview
// replaces this drawing as soon as it arrives (see preview.ts).

import { Fonts } from './fonts.js';
import { ptToMM, type TextMeasure } from './geometry.js';
import type { ImageLayer, Layer, TextLayer } from './types.js';

/** A Source is a local decoded image of an uploaded asset. */
export interface Source {
  bitmap: ImageBitmap;
  width: number;
  height: number;
}

/** drawLayers paints layers (bottom first) on ctx, the zone's top-left at (0, 0). */
export function drawLayers(ctx: CanvasRenderingContext2D, layers: Layer[], k: number, w: number, h: number,
  source: (asset: string) => Source | null): void {
  for (const l of layers) {
    ctx.save();
    if (l.type === 'colour') {
      ctx.fillStyle = l.color;
      ctx.fillRect(0, 0, w * k, h * k);
    } else if (l.type === 'image') {
      drawImage(ctx, l, k, source(l.asset));
    } else {
      drawText(ctx, l, k);
    }
    ctx.restore();
  }
}

function drawImage(ctx: CanvasRenderingContext2D, l: ImageLayer, k: number, src: Source | null): void {
  const w = l.width_mm * k;
  const h = l.height_mm * k;
  ctx.translate((l.x_mm + l.width_mm / 2) * k, (l.y_mm + l.height_mm / 2) * k);
  ctx.rotate((l.rotation * Math.PI) / 180);
  ctx.globalAlpha = l.opacity ?? 1;
  if (!src) {
    // An image of a reopened design: its pixels come with the server's
    // preview; until then, its place.
    ctx.fillStyle = 'rgb(120 120 140 / 25%)';
    ctx.fillRect(-w / 2, -h / 2, w, h);
    return;
  }
  const c = l.crop ?? { x: 0, y: 0, width: 1, height: 1 };
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src.bitmap, c.x * src.bitmap.width, c.y * src.bitmap.height, c.width * src.bitmap.width,
    c.height * src.bitmap.height, -w / 2, -h / 2, w, h);
}

function drawText(ctx: CanvasRenderingContext2D, t: TextLayer, k: number): void {
  const em = ptToMM(t.size_pt) * k;
  ctx.translate(t.x_mm * k, t.y_mm * k);
  ctx.rotate((t.rotation * Math.PI) / 180);
  ctx.font = em.toFixed(2) + 'px ' + Fonts.cssFamily(t.font);
  ctx.textAlign = t.align;
  ctx.textBaseline = 'alphabetic';
  ctx.letterSpacing = ((t.letter_spacing_mm ?? 0) * k).toFixed(2) + 'px';
  const lh = (t.line_height || 1.2) * em;
  const stroke = (t.stroke_mm ?? 0) * k;
  t.text.split('\n').forEach((line, i) => {
    if (stroke > 0 && t.stroke) {
      ctx.strokeStyle = t.stroke;
      ctx.lineWidth = stroke * 2;
      ctx.lineJoin = 'round';
      ctx.strokeText(line, 0, i * lh);
    }
    ctx.fillStyle = t.color || '#000000';
    ctx.fillText(line, 0, i * lh);
  });
}

/** canvasMeasure measures text with a canvas, for hit tests and handles. */
export function canvasMeasure(): TextMeasure {
  const ctx = document.createElement('canvas').getContext('2d');
  const set = (font: string): CanvasRenderingContext2D | null => {
    if (ctx) ctx.font = '100px ' + Fonts.cssFamily(font);
    return ctx;
  };
  return {
    width: (line, font) => (set(font)?.measureText(line).width ?? line.length * 60) / 100,
    ascent: (font) => (set(font)?.measureText('Hg').fontBoundingBoxAscent ?? 80) / 100,
    descent: (font) => (set(font)?.measureText('Hg').fontBoundingBoxDescent ?? 20) / 100,
  };
}
