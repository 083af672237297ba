// Adding a shopper's image to a zone: everything that can be known before
// the upload is checked first (format by magic bytes, byte size, pixel size
// from the header, then the resolution it would print at once placed), so
// a refusal is immediate and says what would work; then the bytes go to
// POST /api/embed/assets and the layer is placed. The decoded image stays
// in memory for the zone canvas's instant drawing.

import type { Customizer } from './app.js';
import { ApiError, errText } from './api.js';
import { addLayer, zoneSize } from './doc.js';
import { formatNumber } from './i18n.js';
import { checkHeader, place, sniff, type Refusal } from './imagecheck.js';
import type { ImageLayer, Zone } from './types.js';

const headerBytes = 512 * 1024;

/** addImage checks, uploads and places file in zone z. */
export async function addImage(c: Customizer, z: Zone, file: File): Promise<void> {
  const { t } = c;
  const limits = c.product.limits ?? { max_upload_bytes: 15 << 20, image_types: ['image/png', 'image/jpeg', 'image/webp'], preview_max: 1024 };
  const head = sniff(new Uint8Array(await file.slice(0, headerBytes).arrayBuffer()));
  let refusal = checkHeader(head, file.size, limits.image_types, limits.max_upload_bytes);
  if (refusal || !head) {
    c.alert(refusalText(c, refusal ?? { reason: 'type', types: limits.image_types }));
    return;
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    c.alert(t('image.unreadable'));
    return;
  }
  refusal = checkHeader({ ...head, width: bitmap.width, height: bitmap.height }, file.size, limits.image_types, limits.max_upload_bytes);
  const size = zoneSize(z);
  let spot = refusal ?? place(bitmap.width, bitmap.height, size.w, size.h, z.min_image_dpi);
  if ('reason' in spot) {
    bitmap.close();
    c.alert(refusalText(c, spot));
    return;
  }
  c.say(t('image.uploading', { name: file.name }));
  c.env.root.setAttribute('aria-busy', 'true');
  try {
    const a = await c.api.upload(file, head.type);
    // The server's size is authoritative (it turns EXIF-rotated photos upright).
    if (a.width !== bitmap.width || a.height !== bitmap.height) {
      spot = place(a.width, a.height, size.w, size.h, z.min_image_dpi);
      if ('reason' in spot) {
        bitmap.close();
        c.alert(refusalText(c, spot));
        return;
      }
    }
    c.sources.set(a.sha256, { bitmap, width: a.width, height: a.height });
    c.pixels.set(a.sha256, { width: a.width, height: a.height });
    const layer: ImageLayer = { type: 'image', asset: a.sha256, x_mm: r4(spot.x), y_mm: r4(spot.y), width_mm: r4(spot.w),
      height_mm: r4(spot.h), rotation: 0 };
    if (c.active !== z.id) return; // the shopper moved on: keep the upload, add nothing unasked
    const r = addLayer(c.doc, z.id, layer);
    c.selection.set(z.id, r.index);
    c.commit(r.doc);
    const dpi = formatNumber(Math.floor(spot.dpi), c.env.locale);
    // A low resolution is a warning, not an error: the status says it, and
    // the zone's warnings (the server's) keep it in view.
    c.say(spot.warn ? t('image.addedLow', { dpi }) : t('image.added', { dpi }));
  } catch (err) {
    bitmap.close();
    c.alert(uploadError(c, err));
  } finally {
    c.env.root.removeAttribute('aria-busy');
  }
}

const r4 = (n: number): number => Math.round(n * 1e4) / 1e4;

/** refusalText says why an image cannot be used, and what would work. */
export function refusalText(c: Customizer, r: Refusal): string {
  const { t } = c;
  const mb = (n: number): string => formatNumber(n / (1 << 20), c.env.locale, 1);
  switch (r.reason) {
    case 'type':
      return t('image.badType', { types: r.types.map((x) => x.replace('image/', '').toUpperCase()).join(', ') });
    case 'bytes':
      return t('image.tooBig', { max: mb(r.max) });
    case 'pixels':
      return t('image.tooManyPixels', { w: r.width, h: r.height });
    case 'dpi':
      return t('image.lowDPI', { dpi: r.dpi, min: r.min, w: r.needW, h: r.needH });
  }
}

/** uploadError turns a refused upload into a sentence. */
function uploadError(c: Customizer, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 413) return c.t('image.tooBig', { max: formatNumber((c.product.limits?.max_upload_bytes ?? 0) / (1 << 20), c.env.locale, 1) });
    if (err.status === 429) return c.t('image.wait', { seconds: err.retryAfter || 60 });
  }
  return c.t('image.failed', { reason: errText(err) });
}
