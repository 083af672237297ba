import { checkHeader, effectiveDPI, maxScale, place, sniff } from '../imagecheck.js';
import { eq, near, ok, run, test } from './testing.js';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const be32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

test('sniff reads PNG, JPEG and WebP headers, and nothing else', () => {
  const png = bytes([0x89], 'PNG', [13, 10, 26, 10], be32(13), 'IHDR', be32(1600), be32(1000));
  eq(sniff(png), { type: 'image/png', width: 1600, height: 1000 });
  // JPEG: SOI, an APP0 segment, then SOF0 (height 480, width 640).
  const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF', new Array(10).fill(0), [0xff, 0xc0, 0, 17, 8, 1, 224, 2, 128, 3]);
  eq(sniff(jpeg), { type: 'image/jpeg', width: 640, height: 480 });
  const vp8x = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', [10, 0, 0, 0], [0, 0, 0, 0], [0x1f, 0x03, 0], [0xe7, 0x03, 0]);
  eq(sniff(vp8x), { type: 'image/webp', width: 800, height: 1000 });
  // VP8L: 14 bits of width - 1 then 14 of height - 1 after the 0x2f signature.
  const w = 300 - 1;
  const h = 200 - 1;
  const bits = w | (h << 14);
  const vp8l = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8L', [0, 0, 0, 0], [0x2f], [bits & 255, (bits >>> 8) & 255, (bits >>> 16) & 255, (bits >>> 24) & 255], [0, 0, 0, 0, 0]);
  eq(sniff(vp8l), { type: 'image/webp', width: 300, height: 200 });
  eq(sniff(bytes('GIF89a', new Array(30).fill(0))), null);
  eq(sniff(bytes('<svg xmlns="http://www.w3.org/2000/svg">')), null);
});

test('checkHeader refuses the type, the bytes and the pixels', () => {
  const types = ['image/png', 'image/jpeg'];
  eq(checkHeader(null, 10, types, 100)?.reason, 'type');
  eq(checkHeader({ type: 'image/webp', width: 1, height: 1 }, 10, types, 100)?.reason, 'type');
  eq(checkHeader({ type: 'image/png', width: 1, height: 1 }, 101, types, 100)?.reason, 'bytes');
  eq(checkHeader({ type: 'image/png', width: 8193, height: 1 }, 10, types, 100)?.reason, 'pixels');
  eq(checkHeader({ type: 'image/png', width: 8192, height: 8192 }, 10, types, 100)?.reason, 'pixels', 'more than 32 Mi pixels');
  eq(checkHeader({ type: 'image/png', width: 8192, height: 4096 }, 10, types, 100), null);
});

test('effective DPI is the lower of both axes', () => {
  near(effectiveDPI(1000, 500, 25.4 * 2, 25.4 * 2), 250, 1e-3);
});

test('place centres an image at 80 % of the zone when it is sharp enough', () => {
  const p = place(3000, 2000, 200, 100, 100);
  ok(!('reason' in p), 'placed');
  if ('reason' in p) return;
  near(p.h, 80, 1e-9, 'height');
  near(p.w, 120, 1e-9, 'width');
  near(p.x, 40, 1e-9, 'x');
  near(p.y, 10, 1e-9, 'y');
  ok(!p.warn, '635 DPI needs no warning');
});

test('place shrinks an image to the minimum DPI, and warns below 150', () => {
  const p = place(300, 200, 200, 100, 100); // 63.5 DPI at 80 % of the zone
  ok(!('reason' in p), 'placed');
  if ('reason' in p) return;
  ok(p.dpi >= 100 && p.dpi < 100.5, 'at the minimum, a hair above: ' + p.dpi);
  ok(p.w < 80 && p.w > 75, 'smaller than 80 %: ' + p.w);
  ok(p.warn, 'warned');
});

test('place refuses an image that would be tiny, saying the pixels needed', () => {
  const p = place(60, 40, 200, 100, 150);
  ok('reason' in p, 'refused');
  if (!('reason' in p)) return;
  eq(p, { reason: 'dpi', dpi: 12, min: 150, needW: 709, needH: 473 });
});

test('maxScale stops an image at its minimum DPI', () => {
  near(maxScale(1000, 1000, 25.4, 25.4, 100) * 1.002, 10, 1e-6);
  eq(maxScale(1, 1, 1, 1, 0), Infinity);
});

void run();
