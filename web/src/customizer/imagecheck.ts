// What the customizer checks about a shopper's image before uploading it:
// its real format (magic bytes, not the file name or the type the browser
// guesses), its byte size, its pixel size read from the header (so a small
// file that would decode into gigabytes is refused before it is decoded),
// and the resolution it would print at. The server checks all of this
// again; checking here first spares the shopper a slow upload that would
// be refused.

/** The server's own pixel limits (intake.DefaultMaxSide, DefaultMaxPixels). */
export const maxSide = 8192;
export const maxPixels = 32 << 20;

/** Below this effective resolution an image is placed with a warning. */
export const warnDPI = 150;

/**
 * dpiMargin keeps what the customizer places a little above a zone's
 * minimum resolution: the server checks the rounded millimetres it
 * receives, and an image placed at exactly the minimum could fall a
 * hair below it.
 */
export const dpiMargin = 1.002;

/** Header is what the first bytes of a file say. */
export interface Header {
  type: 'image/png' | 'image/jpeg' | 'image/webp';
  /** 0 when the header does not say (a JPEG whose SOF is further on). */
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number): number => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number): number => u16be(b, i) * 65536 + u16be(b, i + 2);
const ascii = (b: Uint8Array, i: number, n: number): string => String.fromCharCode(...b.subarray(i, i + n));

/** sniff reads the format and pixel size from the start of a file. */
export function sniff(b: Uint8Array): Header | null {
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && ascii(b, 12, 4) === 'IHDR') {
    return { type: 'image/png', width: u32be(b, 16), height: u32be(b, 20) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { type: 'image/jpeg', ...jpegSize(b) };
  }
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    const chunk = ascii(b, 12, 4);
    if (chunk === 'VP8 ') return { type: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = u16le(b, 21) + u16le(b, 23) * 65536;
      return { type: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') return { type: 'image/webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
    return { type: 'image/webp', width: 0, height: 0 };
  }
  return null;
}

/** jpegSize walks the JPEG markers to the first frame header (SOFn). */
function jpegSize(b: Uint8Array): { width: number; height: number } {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return { width: 0, height: 0 };
    const m = b[i + 1] ?? 0;
    if (m === 0xff) {
      i++; // fill byte
      continue;
    }
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      return { width: u16be(b, i + 7), height: u16be(b, i + 5) };
    }
    if (m === 0xd8 || (m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      i += 2;
      continue;
    }
    i += 2 + u16be(b, i + 2);
  }
  return { width: 0, height: 0 };
}

/** A Refusal is why an image cannot be used, with the values to explain it. */
export type Refusal =
  | { reason: 'type'; types: string[] }
  | { reason: 'bytes'; max: number }
  | { reason: 'pixels'; width: number; height: number }
  | { reason: 'dpi'; dpi: number; min: number; needW: number; needH: number };

/** checkHeader applies the limits that need no decoding. */
export function checkHeader(h: Header | null, size: number, types: string[], maxBytes: number): Refusal | null {
  if (!h || (types.length > 0 && !types.includes(h.type))) return { reason: 'type', types };
  if (size > maxBytes) return { reason: 'bytes', max: maxBytes };
  if (h.width > maxSide || h.height > maxSide || h.width * h.height > maxPixels) {
    return { reason: 'pixels', width: h.width, height: h.height };
  }
  return null;
}

/**
 * effectiveDPI is the resolution px pixels print at over mm millimetres,
 * the lower of both axes (as the server computes it), nudged up by a
 * millionth so that an image placed at exactly the minimum does not read
 * as one below it after floating-point rounding.
 */
export function effectiveDPI(pxW: number, pxH: number, wMM: number, hMM: number): number {
  if (wMM <= 0 || hMM <= 0) return Infinity;
  return Math.min(pxW / (wMM / 25.4), pxH / (hMM / 25.4)) + 1e-6;
}

/** A Placement is where a new image goes in a zone, and how well it prints there. */
export interface Placement {
  x: number;
  y: number;
  w: number;
  h: number;
  dpi: number;
  warn: boolean;
}

/**
 * place fits an image of pxW × pxH into a zone of zw × zh mm: centred, 80 %
 * of the zone at most, and no larger than it can print at the zone's
 * minimum DPI. An image that would then be smaller than a tenth of the
 * zone is refused, with the pixel size it would need to fill 80 %.
 */
export function place(pxW: number, pxH: number, zw: number, zh: number, minDPI: number): Placement | Refusal {
  const fit = Math.min((zw * 0.8) / pxW, (zh * 0.8) / pxH); // mm per pixel
  const sharp = minDPI > 0 ? 25.4 / (minDPI * dpiMargin) : Infinity; // largest mm per pixel at minDPI
  const mmPerPx = Math.min(fit, sharp);
  const w = pxW * mmPerPx;
  const h = pxH * mmPerPx;
  if (w < zw / 10 && h < zh / 10) {
    const dpi = effectiveDPI(pxW, pxH, pxW * fit, pxH * fit);
    return {
      reason: 'dpi',
      dpi: Math.floor(dpi),
      min: minDPI,
      needW: Math.ceil(((pxW * fit) / 25.4) * minDPI),
      needH: Math.ceil(((pxH * fit) / 25.4) * minDPI),
    };
  }
  const dpi = effectiveDPI(pxW, pxH, w, h);
  return { x: (zw - w) / 2, y: (zh - h) / 2, w, h, dpi, warn: dpi < warnDPI };
}

/** maxScale is the largest factor an image box may grow by before printing below minDPI. */
export function maxScale(pxW: number, pxH: number, wMM: number, hMM: number, minDPI: number): number {
  if (minDPI <= 0) return Infinity;
  return effectiveDPI(pxW, pxH, wMM, hMM) / (minDPI * dpiMargin);
}
