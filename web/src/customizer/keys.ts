// The keys of the zone canvas, for shoppers who do not use a pointer:
// arrows move the selected layer 1 mm (10 with Shift), + and − scale it
// 5 % (20 %), [ and ] turn it 5° (15°), Delete or Backspace removes it.
// Escape (clear the selection) and Ctrl/Cmd+Z (undo) are handled by app.ts.

import { moved, normAngle } from './doc.js';
import type { Key } from './i18n.js';
import type { Layer } from './types.js';

/** An Edit is a layer changed by a key, with what to announce. */
export interface Edit {
  layer: Layer;
  /** kind groups repeated presses into one undo step. */
  kind: 'move' | 'scale' | 'rotate';
  said: Key;
  vars: Record<string, string | number>;
}

const arrows: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** keyEdit returns what key does to layer l, 'delete', or null for other keys. */
export function keyEdit(key: string, shift: boolean, l: Layer, scale: (l: Layer, k: number) => Layer): Edit | 'delete' | null {
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (l.type === 'colour') return null;
  const step = shift ? 10 : 1;
  const a = arrows[key];
  if (a) {
    const next = moved(l, a[0] * step, a[1] * step);
    return { layer: next, kind: 'move', said: 'key.moved', vars: { x: fmt(pivotX(next)), y: fmt(pivotY(next)) } };
  }
  if (key === '+' || key === '=' || key === '-' || key === '_') {
    const grow = key === '+' || key === '=';
    const f = shift ? 0.2 : 0.05;
    return { layer: scale(l, grow ? 1 + f : 1 / (1 + f)), kind: 'scale', said: grow ? 'key.bigger' : 'key.smaller', vars: {} };
  }
  if (key === '[' || key === ']' || key === '{' || key === '}') {
    const d = (shift || key === '{' || key === '}' ? 15 : 5) * (key === '[' || key === '{' ? -1 : 1);
    const rotation = normAngle(l.rotation + d);
    return { layer: { ...l, rotation }, kind: 'rotate', said: 'key.rotated', vars: { deg: fmt(rotation) } };
  }
  return null;
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);
const pivotX = (l: Layer): number => (l.type === 'image' ? l.x_mm + l.width_mm / 2 : l.type === 'text' ? l.x_mm : 0);
const pivotY = (l: Layer): number => (l.type === 'image' ? l.y_mm + l.height_mm / 2 : l.type === 'text' ? l.y_mm : 0);
