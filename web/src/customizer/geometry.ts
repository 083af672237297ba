// Where a layer is, in a zone's millimetres (y down, degrees clockwise as
// the server turns them): its box before rotation, the point it turns about
// (an image's centre, a text's anchor) and what the handles do to it. The
// zone canvas uses this for hit tests and handles; none of it touches the
// DOM, so it is unit-tested.

import { normAngle, round4 } from './doc.js';
import type { ImageLayer, TextLayer } from './types.js';

export interface Pt {
  x: number;
  y: number;
}

/** A Box is a rectangle (x0, y0)-(x1, y1) turned deg degrees about pivot. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pivot: Pt;
  deg: number;
}

/** TextMetrics gives a line's advance and the font's extent, in ems. */
export interface TextMeasure {
  width(line: string, font: string): number;
  ascent(font: string): number;
  descent(font: string): number;
}

/** ptToMM converts a type size in points to millimetres. */
export const ptToMM = (pt: number): number => (pt * 25.4) / 72;

/** rotate turns p by deg degrees clockwise (y down) about c. */
export function rotate(p: Pt, c: Pt, deg: number): Pt {
  const r = (deg * Math.PI) / 180;
  const s = Math.sin(r);
  const k = Math.cos(r);
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  return { x: c.x + dx * k - dy * s, y: c.y + dx * s + dy * k };
}

/** textLines splits a text layer into its lines. */
export const textLines = (t: TextLayer): string[] => t.text.split('\n');

/** textBox is the box of a text layer's lines, measured with m. */
export function textBox(t: TextLayer, m: TextMeasure): Box {
  const em = ptToMM(t.size_pt);
  const lines = textLines(t);
  const spacing = t.letter_spacing_mm ?? 0;
  let w = 0;
  for (const line of lines) {
    const n = [...line].length;
    w = Math.max(w, m.width(line, t.font) * em + Math.max(0, n - 1) * spacing);
  }
  const lh = (t.line_height || 1.2) * em;
  const x0 = t.align === 'center' ? t.x_mm - w / 2 : t.align === 'right' ? t.x_mm - w : t.x_mm;
  return {
    x0,
    x1: x0 + w,
    y0: t.y_mm - m.ascent(t.font) * em,
    y1: t.y_mm + (lines.length - 1) * lh + m.descent(t.font) * em,
    pivot: { x: t.x_mm, y: t.y_mm },
    deg: t.rotation,
  };
}

/** imageBox is an image layer's box, turned about its centre. */
export function imageBox(l: ImageLayer): Box {
  return {
    x0: l.x_mm,
    y0: l.y_mm,
    x1: l.x_mm + l.width_mm,
    y1: l.y_mm + l.height_mm,
    pivot: { x: l.x_mm + l.width_mm / 2, y: l.y_mm + l.height_mm / 2 },
    deg: l.rotation,
  };
}

/** corners are a box's corners after rotation: top-left, top-right, bottom-right, bottom-left. */
export function corners(b: Box): Pt[] {
  return [
    { x: b.x0, y: b.y0 },
    { x: b.x1, y: b.y0 },
    { x: b.x1, y: b.y1 },
    { x: b.x0, y: b.y1 },
  ].map((p) => rotate(p, b.pivot, b.deg));
}

/** contains says whether p falls in b (grown by slack mm on every side). */
export function contains(b: Box, p: Pt, slack = 0): boolean {
  const q = rotate(p, b.pivot, -b.deg);
  return q.x >= b.x0 - slack && q.x <= b.x1 + slack && q.y >= b.y0 - slack && q.y <= b.y1 + slack;
}

/** Handles are where the scale and rotate handles of a box are drawn. */
export function handles(b: Box, rotateOffset: number): { scale: Pt; rotate: Pt; topMid: Pt } {
  const topMid = rotate({ x: (b.x0 + b.x1) / 2, y: b.y0 }, b.pivot, b.deg);
  return {
    scale: rotate({ x: b.x1, y: b.y1 }, b.pivot, b.deg),
    rotate: rotate({ x: (b.x0 + b.x1) / 2, y: b.y0 - rotateOffset }, b.pivot, b.deg),
    topMid,
  };
}

const dist = (a: Pt, b: Pt): number => Math.hypot(a.x - b.x, a.y - b.y);

/** scaleFactor is how much a drag from start to p about pivot scales. */
export function scaleFactor(pivot: Pt, start: Pt, p: Pt): number {
  const d0 = dist(pivot, start);
  return d0 < 1e-6 ? 1 : dist(pivot, p) / d0;
}

/** turnAngle is the angle (degrees, clockwise) a drag from start to p turns about pivot. */
export function turnAngle(pivot: Pt, start: Pt, p: Pt): number {
  const a0 = Math.atan2(start.y - pivot.y, start.x - pivot.x);
  const a1 = Math.atan2(p.y - pivot.y, p.x - pivot.x);
  return ((a1 - a0) * 180) / Math.PI;
}

/** snapAngle rounds to a multiple of 45° when within 4° of one. */
export function snapAngle(deg: number): number {
  const a = normAngle(deg);
  const near = Math.round(a / 45) * 45;
  return Math.abs(a - near) <= 4 ? normAngle(near) : a;
}

/** scaledImage is an image layer grown by k about its centre. */
export function scaledImage(l: ImageLayer, k: number): ImageLayer {
  const cx = l.x_mm + l.width_mm / 2;
  const cy = l.y_mm + l.height_mm / 2;
  const w = l.width_mm * k;
  const h = l.height_mm * k;
  return { ...l, x_mm: round4(cx - w / 2), y_mm: round4(cy - h / 2), width_mm: round4(w), height_mm: round4(h) };
}

/** scaledText is a text layer's size times k, kept at least minPt. */
export function scaledText(l: TextLayer, k: number, minPt: number): TextLayer {
  const size = Math.max(minPt, Math.round(l.size_pt * k * 10) / 10);
  return { ...l, size_pt: Math.min(2000, size) };
}
