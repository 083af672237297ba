// The 3D stage and the surfaces zones are printed on: the <model-viewer>
// element (with the timings of its load and first frame), the materials'
// own textures (fetched once, for the composed 3D texture and for the zone
// canvases' background) and the zones' masks.

import type { ModelViewerElement } from '@google/model-viewer';

import type { Customizer } from './app.js';
import { colourZones, entry, printZones } from './doc.js';
import { loadBitmap, maskCoverage } from './media.js';
import { ModelTextures } from './texture3d.js';

/** buildViewer makes the product's <model-viewer> and the textures it will wear. */
export function buildViewer(c: Customizer): { viewer: ModelViewerElement; textures: ModelTextures } {
  const m = c.product.model;
  const v = document.createElement('model-viewer') as ModelViewerElement;
  v.className = 'lw-viewer';
  v.dataset.testid = 'viewer';
  v.setAttribute('src', m.glb_url);
  if (m.poster_url) v.setAttribute('poster', m.poster_url);
  v.setAttribute('alt', c.t('viewer.alt', { name: c.product.product.name }));
  const attrs = { 'camera-controls': '', 'touch-action': 'pan-y', 'interaction-prompt': 'none', 'shadow-intensity': '1',
    'environment-image': 'neutral', loading: 'eager' };
  for (const [k, val] of Object.entries(attrs)) v.setAttribute(k, val);
  const textures = new ModelTextures(v, c.product.materials ?? [], c.zones);
  textures.onApplied = () => c.env.timings.mark('firstTexture');
  v.addEventListener('load', () => {
    c.env.timings.mark('modelLoad');
    textures.modelLoaded();
  });
  v.addEventListener('model-visibility', (e) => {
    if ((e as CustomEvent<{ visible: boolean }>).detail?.visible) requestAnimationFrame(() => c.env.timings.mark('firstFrame'));
  });
  v.addEventListener('error', () => c.alert(c.t('error.model')));
  return { viewer: v, textures };
}

/** Surfaces holds the materials' textures and the zones' masks, once fetched. */
export class Surfaces {
  private readonly bitmaps = new Map<string, ImageBitmap | null>();
  private readonly masks = new Map<string, HTMLCanvasElement>();

  constructor(private readonly c: Customizer) {}

  /** load fetches the textures and masks, then dresses the canvases made meanwhile. */
  async load(): Promise<void> {
    const { c } = this;
    const textures = (c.product.materials ?? []).map(async (m) => {
      if (!m.texture_url) return;
      const b = await loadBitmap(m.texture_url);
      this.bitmaps.set(m.name, b);
      c.textures?.setBase(m.name, b);
    });
    const masks = printZones(c.zones).map(async (z) => {
      const b = await loadBitmap(z.mask?.url);
      if (!b) return;
      const m = maskCoverage(b);
      b.close();
      this.masks.set(z.id, m);
      c.canvases.get(z.id)?.setMask(m);
    });
    await Promise.all([...textures, ...masks]);
    for (const id of c.canvases.keys()) this.dress(id);
  }

  /** mask is a zone's mask, if it has one and it is loaded. */
  mask(zoneId: string): HTMLCanvasElement | null {
    return this.masks.get(zoneId) ?? null;
  }

  /** dress shows the product's surface under a zone's canvas: its texture, or its colour. */
  dress(zoneId: string): void {
    const { c } = this;
    const z = c.zone(zoneId);
    const canvas = c.canvases.get(zoneId);
    const m = c.product.materials?.find((x) => x.name === z?.material);
    if (!z || !canvas || !m) return;
    const b = this.bitmaps.get(m.name) ?? null;
    const r = z.uv_rect ?? { u0: 0, v0: 0, u1: 1, v1: 1 };
    const colour = this.chosen(m.name) || m.base_color || '#ffffff';
    canvas.setSurface({ bitmap: b, colour, sx: r.u0 * (b?.width ?? 0), sy: r.v0 * (b?.height ?? 0),
      sw: (r.u1 - r.u0) * (b?.width ?? 0), sh: (r.v1 - r.v0) * (b?.height ?? 0) });
  }

  /** dressMaterial dresses every print zone on a material (its colour changed). */
  dressMaterial(material: string): void {
    for (const z of printZones(this.c.zones)) if (z.material === material) this.dress(z.id);
  }

  /** chosen is the colour chosen for a material in a colour zone, or ''. */
  private chosen(material: string): string {
    for (const z of colourZones(this.c.zones)) {
      const col = entry(this.c.doc, z.id)?.colour;
      if (z.material === material && col) return col;
    }
    return '';
  }
}
