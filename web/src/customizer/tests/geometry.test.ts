import { contains, corners, imageBox, rotate, scaledImage, scaledText, snapAngle, textBox, turnAngle, type TextMeasure } from '../geometry.js';
import type { ImageLayer, TextLayer } from '../types.js';
import { eq, near, ok, run, test } from './testing.js';

// Every character half an em wide, 0.8 em above the baseline, 0.2 below.
const m: TextMeasure = { width: (line) => line.length * 0.5, ascent: () => 0.8, descent: () => 0.2 };
const img: ImageLayer = { type: 'image', asset: 'a', x_mm: 10, y_mm: 20, width_mm: 40, height_mm: 20, rotation: 0 };
const text: TextLayer = { type: 'text', text: 'abcd', font: 'f', size_pt: 72, color: '#000000', align: 'center', x_mm: 50, y_mm: 50, rotation: 0 };

test('rotate turns clockwise on screen (y down)', () => {
  const p = rotate({ x: 1, y: 0 }, { x: 0, y: 0 }, 90);
  near(p.x, 0, 1e-9, 'x');
  near(p.y, 1, 1e-9, 'y');
});

test('an image turns about its centre', () => {
  const b = imageBox({ ...img, rotation: 90 });
  const c = corners(b);
  near(c[0]?.x ?? 0, 40, 1e-9, 'top-left x');
  near(c[0]?.y ?? 0, 10, 1e-9, 'top-left y');
  ok(contains(b, { x: 30, y: 12 }), 'inside once turned');
  ok(!contains(b, { x: 12, y: 30 }), 'outside once turned');
});

test('a text box follows its alignment and lines', () => {
  const em = 25.4; // 72 pt
  const b = textBox(text, m);
  near(b.x0, 50 - em, 1e-9, 'centred: starts half its width left');
  near(b.x1, 50 + em, 1e-9);
  near(b.y0, 50 - 0.8 * em, 1e-9);
  const two = textBox({ ...text, text: 'ab\ncd', align: 'right', line_height: 1.5 }, m);
  near(two.x1, 50, 1e-9, 'right-aligned: ends at the anchor');
  near(two.y1, 50 + 1.5 * em + 0.2 * em, 1e-9, 'second line');
  eq(two.pivot, { x: 50, y: 50 });
});

test('scaling keeps an image centred and a text above its minimum', () => {
  const s = scaledImage(img, 2);
  eq([s.x_mm, s.y_mm, s.width_mm, s.height_mm], [-10, 10, 80, 40]);
  eq(scaledText(text, 0.01, 6).size_pt, 6);
  eq(scaledText(text, 1.5, 6).size_pt, 108);
});

test('angles snap to 45° within 4°, and turning measures clockwise', () => {
  eq(snapAngle(88), 90);
  eq(snapAngle(80), 80);
  eq(snapAngle(-2), 0);
  eq(snapAngle(359), 0);
  near(turnAngle({ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }), 90, 1e-9);
});

void run();
