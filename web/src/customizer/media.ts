// Images the customizer draws into canvases: product textures and zone
// masks (URLs that may be on the S3 origin, presigned) and server previews.
// They are fetched (CORS, no credentials) and decoded with
// createImageBitmap rather than drawn from an <img>, so a canvas never
// becomes tainted: the composed 3D texture must stay readable to be
// encoded and handed to <model-viewer>.

/** loadBitmap fetches and decodes an image URL; null when that fails. */
export async function loadBitmap(url: string | null | undefined, signal?: AbortSignal): Promise<ImageBitmap | null> {
  if (!url) return null;
  try {
    const init: RequestInit = { credentials: 'omit', mode: 'cors' };
    if (signal) init.signal = signal;
    const r = await fetch(url, init);
    if (!r.ok) return null;
    return await createImageBitmap(await r.blob());
  } catch {
    return null;
  }
}

/**
 * maskCoverage turns a zone mask into an alpha mask the canvas can apply
 * with destination-in, read as the compositor reads it: the mask's alpha
 * when it has any transparency, else its luminance (white prints). It is
 * reduced to at most 1024 pixels a side: the canvas shows no more.
 */
export function maskCoverage(mask: ImageBitmap): HTMLCanvasElement {
  const scale = Math.min(1, 1024 / Math.max(mask.width, mask.height));
  const c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(mask.width * scale));
  c.height = Math.max(1, Math.round(mask.height * scale));
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) return c;
  ctx.drawImage(mask, 0, 0, c.width, c.height);
  const img = ctx.getImageData(0, 0, c.width, c.height);
  const d = img.data;
  let transparent = false;
  for (let i = 3; i < d.length; i += 4) {
    if ((d[i] ?? 255) < 255) {
      transparent = true;
      break;
    }
  }
  for (let i = 0; i < d.length; i += 4) {
    const a = transparent ? (d[i + 3] ?? 0) : Math.round(0.299 * (d[i] ?? 0) + 0.587 * (d[i + 1] ?? 0) + 0.114 * (d[i + 2] ?? 0));
    d[i] = 0;
    d[i + 1] = 0;
    d[i + 2] = 0;
    d[i + 3] = a;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}
