// The 3D model wears the design: for each material with print zones, a
// canvas gets the material's own texture (or its base colour), then each
// zone's server preview at its UV rectangle (glTF UV: u → x, v → y from the
// top-left, as the compositor places it), and becomes the material's base
// colour texture in <model-viewer>. Colour zones set the material's base
// colour factor. Only server drawings go on the model, so the 3D view never
// shows anything the print will not.

import type { ModelViewerElement } from '@google/model-viewer';
import type { Material, UVRect, Zone } from './types.js';

type Texture = NonNullable<Awaited<ReturnType<ModelViewerElement['createTexture']>>>;

const maxSide = 2048;

/** white is the base colour factor of a material whose colour is in its texture. */
type RGBA = [number, number, number, number];
const white: RGBA = [1, 1, 1, 1];

interface Slot {
  material: Material;
  zones: Zone[];
  canvas: HTMLCanvasElement;
  base: ImageBitmap | null;
  /** baseMissing: the material has a texture that could not be fetched. */
  baseMissing: boolean;
  url: string;
  pending: boolean;
}

/** ModelTextures keeps the composed texture of each printed material. */
export class ModelTextures {
  private readonly slots = new Map<string, Slot>();
  private readonly overlays = new Map<string, ImageBitmap | null>();
  private readonly colours = new Map<string, string>();
  /** factors are the materials' own base colour factors, to restore. */
  private readonly factors = new Map<string, RGBA>();
  private loaded = false;

  /** onApplied is called after a composed texture reached the model. */
  onApplied: () => void = () => undefined;

  constructor(
    private readonly viewer: ModelViewerElement,
    materials: Material[],
    zones: Zone[],
  ) {
    for (const m of materials) {
      const zs = zones.filter((z) => z.type === 'print' && z.material === m.name);
      if (zs.length === 0) continue;
      const scale = Math.min(1, maxSide / Math.max(m.width || 1024, m.height || 1024));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round((m.width || 1024) * scale));
      canvas.height = Math.max(1, Math.round((m.height || 1024) * scale));
      this.slots.set(m.name, { material: m, zones: zs, canvas, base: null, baseMissing: !!m.texture_url, url: '', pending: false });
    }
  }

  /**
   * setBase gives a material its original texture, once fetched. Until then,
   * or when it cannot be fetched, the material is left as the model has it:
   * a print on a plain fill would misrepresent the product.
   */
  setBase(material: string, bitmap: ImageBitmap | null): void {
    const s = this.slots.get(material);
    if (!s || !bitmap) return;
    s.base = bitmap;
    s.baseMissing = false;
    this.compose(s);
  }

  /** zonePixels is the size in texture pixels a zone covers, for its preview's size. */
  zonePixels(z: Zone): number {
    const s = this.slots.get(z.material);
    if (!s) return 0;
    const r = z.uv_rect ?? { u0: 0, v0: 0, u1: 1, v1: 1 };
    return Math.ceil(Math.max((r.u1 - r.u0) * s.canvas.width, (r.v1 - r.v0) * s.canvas.height));
  }

  /** setZone puts a zone's server drawing on the model (null: nothing printed there). */
  setZone(zone: Zone, bitmap: ImageBitmap | null): void {
    if (this.overlays.get(zone.id) === bitmap) return;
    this.overlays.set(zone.id, bitmap);
    const s = this.slots.get(zone.material);
    if (s) this.compose(s);
  }

  /** setColour applies a colour zone's choice to its material ('' restores the model's own). */
  setColour(material: string, hex: string): void {
    if ((this.colours.get(material) ?? '') === hex) return;
    if (hex) this.colours.set(material, hex);
    else this.colours.delete(material);
    if (this.loaded) this.applyColour(material);
  }

  /** modelLoaded is called on the viewer's load event: now materials exist. */
  modelLoaded(): void {
    this.loaded = true;
    for (const m of this.viewer.model?.materials ?? []) {
      this.factors.set(m.name, [...m.pbrMetallicRoughness.baseColorFactor] as RGBA);
    }
    for (const m of this.colours.keys()) this.applyColour(m);
    for (const s of this.slots.values()) if (s.url) void this.apply(s);
  }

  private applyColour(material: string): void {
    const s = this.slots.get(material);
    if (s && s.url && !s.base) {
      // The colour is the fill of the composed texture.
      this.compose(s);
      return;
    }
    const m = this.viewer.model?.getMaterialByName(material);
    const hex = this.colours.get(material);
    if (!m) return;
    m.pbrMetallicRoughness.setBaseColorFactor(hex || (this.factors.get(material) ?? white));
  }

  /** compose redraws a material's texture on the next frame. */
  private compose(s: Slot): void {
    if (s.pending) return;
    s.pending = true;
    requestAnimationFrame(() => {
      s.pending = false;
      this.paint(s);
    });
  }

  private paint(s: Slot): void {
    const ctx = s.canvas.getContext('2d');
    if (!ctx) return;
    const { width: W, height: H } = s.canvas;
    const hasOverlay = s.zones.some((z) => this.overlays.get(z.id));
    // Nothing printed yet, or the texture to print on is missing: the
    // model's own texture stays.
    if ((!hasOverlay && !s.url) || s.baseMissing) return;
    ctx.clearRect(0, 0, W, H);
    if (s.base) {
      ctx.drawImage(s.base, 0, 0, W, H);
    } else {
      ctx.fillStyle = this.colours.get(s.material.name) || s.material.base_color || '#ffffff';
      ctx.fillRect(0, 0, W, H);
    }
    for (const z of s.zones) {
      const b = this.overlays.get(z.id);
      if (!b) continue;
      const r: UVRect = z.uv_rect ?? { u0: 0, v0: 0, u1: 1, v1: 1 };
      ctx.drawImage(b, r.u0 * W, r.v0 * H, (r.u1 - r.u0) * W, (r.v1 - r.v0) * H);
    }
    s.canvas.toBlob((blob) => {
      if (!blob) return;
      const old = s.url;
      s.url = URL.createObjectURL(blob);
      void this.apply(s).finally(() => {
        if (old) URL.revokeObjectURL(old);
      });
    }, 'image/png');
  }

  private async apply(s: Slot): Promise<void> {
    if (!this.loaded) return;
    const url = s.url;
    const m = this.viewer.model?.getMaterialByName(s.material.name);
    if (!m) return;
    let t: Texture | null;
    try {
      t = await this.viewer.createTexture(url);
    } catch {
      return;
    }
    if (!t || url !== s.url) return; // a newer texture is on its way
    m.pbrMetallicRoughness.baseColorTexture?.setTexture(t);
    // Without its own texture, the material's colour is in the canvas
    // already (as the server makes design GLBs: FactorWhite).
    if (!s.base) m.pbrMetallicRoughness.setBaseColorFactor(white);
    // How many composed textures the model has shown (tests read it).
    this.viewer.dataset.textures = String(Number(this.viewer.dataset.textures ?? 0) + 1);
    this.onApplied();
  }
}
