import { keyEdit } from '../keys.js';
import type { ImageLayer, Layer } from '../types.js';
import { eq, ok, run, test } from './testing.js';

const img: ImageLayer = { type: 'image', asset: 'a', x_mm: 10, y_mm: 20, width_mm: 40, height_mm: 20, rotation: 0 };
const scale = (l: Layer, k: number): Layer => ({ ...(l as ImageLayer), width_mm: (l as ImageLayer).width_mm * k });

test('arrows move 1 mm, 10 with Shift', () => {
  const e = keyEdit('ArrowRight', false, img, scale);
  ok(e !== null && e !== 'delete', 'an edit');
  if (!e || e === 'delete') return;
  eq([(e.layer as ImageLayer).x_mm, (e.layer as ImageLayer).y_mm], [11, 20]);
  eq(e.kind, 'move');
  const up = keyEdit('ArrowUp', true, img, scale);
  if (!up || up === 'delete') throw new Error('no edit');
  eq((up.layer as ImageLayer).y_mm, 10);
  eq(up.vars, { x: '30', y: '20' }, 'announces the centre');
});

test('Delete and Backspace remove; brackets turn; +/- scale', () => {
  eq(keyEdit('Delete', false, img, scale), 'delete');
  eq(keyEdit('Backspace', false, img, scale), 'delete');
  const turn = keyEdit('[', false, img, scale);
  if (!turn || turn === 'delete') throw new Error('no edit');
  eq(turn.layer.type === 'image' && turn.layer.rotation, 355);
  const big = keyEdit('+', true, img, scale);
  if (!big || big === 'delete') throw new Error('no edit');
  eq((big.layer as ImageLayer).width_mm, 48);
  eq(keyEdit('a', false, img, scale), null);
});

test('a fill has no position', () => {
  eq(keyEdit('ArrowLeft', false, { type: 'colour', color: '#000000' }, scale), null);
});

void run();
