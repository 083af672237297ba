// Edits of a design document as pure functions: each returns a new
// document and leaves its argument alone, which is what lets History keep
// plain references as undo steps and lets the preview cache compare zones
// by their JSON. Fields the customizer does not edit (a reopened design's
// stroke or arc, say) are carried along untouched by the spreads.

import type { DesignDocument, DocZone, ImageLayer, Layer, ProductAnswer, TextLayer, Zone } from './types.js';

/** emptyDocument is a new design of the product (and its variant). */
export function emptyDocument(p: ProductAnswer['product']): DesignDocument {
  const doc: DesignDocument = { v: 1, product_id: p.id, zones: [] };
  if (p.variant) doc.variant_id = p.variant.id;
  return doc;
}

/** entry returns the document's entry for a zone, if any. */
export function entry(doc: DesignDocument, zoneId: string): DocZone | undefined {
  return doc.zones.find((z) => z.zone_id === zoneId);
}

/** layersOf returns the layers of a print zone (bottom first). */
export function layersOf(doc: DesignDocument, zoneId: string): Layer[] {
  return entry(doc, zoneId)?.layers ?? [];
}

/** colourOf returns the colour chosen in a colour zone, or ''. */
export function colourOf(doc: DesignDocument, zoneId: string): string {
  return entry(doc, zoneId)?.colour ?? '';
}

/** withEntry replaces (or, with null, drops) a zone's entry. */
function withEntry(doc: DesignDocument, zoneId: string, e: DocZone | null): DesignDocument {
  const zones = doc.zones.filter((z) => z.zone_id !== zoneId);
  if (e) {
    const i = doc.zones.findIndex((z) => z.zone_id === zoneId);
    zones.splice(i < 0 ? zones.length : i, 0, e);
  }
  return { ...doc, zones };
}

/** setLayers sets a print zone's layers; no layers drops the zone's entry. */
export function setLayers(doc: DesignDocument, zoneId: string, layers: Layer[]): DesignDocument {
  return withEntry(doc, zoneId, layers.length ? { zone_id: zoneId, layers } : null);
}

/** addLayer puts layer on top of a zone's layers (fills go to the bottom). */
export function addLayer(doc: DesignDocument, zoneId: string, layer: Layer): { doc: DesignDocument; index: number } {
  const layers = layersOf(doc, zoneId).slice();
  const index = layer.type === 'colour' ? 0 : layers.length;
  layers.splice(index, 0, layer);
  return { doc: setLayers(doc, zoneId, layers), index };
}

/** updateLayer merges patch into one layer. */
export function updateLayer<L extends Layer>(doc: DesignDocument, zoneId: string, index: number, patch: Partial<L>): DesignDocument {
  const layers = layersOf(doc, zoneId).slice();
  const old = layers[index];
  if (!old) return doc;
  layers[index] = { ...old, ...patch } as Layer;
  return setLayers(doc, zoneId, layers);
}

/** replaceLayer swaps one layer for another. */
export function replaceLayer(doc: DesignDocument, zoneId: string, index: number, layer: Layer): DesignDocument {
  const layers = layersOf(doc, zoneId).slice();
  if (!layers[index]) return doc;
  layers[index] = layer;
  return setLayers(doc, zoneId, layers);
}

/** removeLayer deletes one layer. */
export function removeLayer(doc: DesignDocument, zoneId: string, index: number): DesignDocument {
  const layers = layersOf(doc, zoneId).slice();
  layers.splice(index, 1);
  return setLayers(doc, zoneId, layers);
}

/** restack moves a layer from one position to another (0 is the bottom). */
export function restack(doc: DesignDocument, zoneId: string, from: number, to: number): DesignDocument {
  const layers = layersOf(doc, zoneId).slice();
  if (from < 0 || from >= layers.length || to < 0 || to >= layers.length || from === to) return doc;
  const [l] = layers.splice(from, 1);
  layers.splice(to, 0, l as Layer);
  return setLayers(doc, zoneId, layers);
}

/** resetZone empties a zone. */
export function resetZone(doc: DesignDocument, zoneId: string): DesignDocument {
  return withEntry(doc, zoneId, null);
}

/** setColour chooses a colour zone's colour ('' removes the choice). */
export function setColour(doc: DesignDocument, zoneId: string, hex: string): DesignDocument {
  return withEntry(doc, zoneId, hex ? { zone_id: zoneId, colour: hex } : null);
}

/** round4 keeps what the server keeps: 1/10000 of the unit. */
export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** normAngle returns degrees in [0, 360). */
export function normAngle(deg: number): number {
  const a = round4(((deg % 360) + 360) % 360);
  return a >= 360 ? 0 : a;
}

/** moved returns a layer shifted by (dx, dy) millimetres. */
export function moved(l: Layer, dx: number, dy: number): Layer {
  if (l.type === 'colour') return l;
  return { ...l, x_mm: round4(l.x_mm + dx), y_mm: round4(l.y_mm + dy) };
}

/** centre is the point a layer turns and scales about. */
export function centre(l: TextLayer | ImageLayer): { x: number; y: number } {
  return l.type === 'image' ? { x: l.x_mm + l.width_mm / 2, y: l.y_mm + l.height_mm / 2 } : { x: l.x_mm, y: l.y_mm };
}

/** layerPatchKey names an edit of one field of one layer, for History.push. */
export function layerPatchKey(zoneId: string, index: number, field: string): string {
  return zoneId + '/' + index + '/' + field;
}

/** printZones are the zones shoppers add layers to, in display order. */
export function printZones(zones: Zone[]): Zone[] {
  return zones.filter((z) => z.type === 'print').sort((a, b) => a.position - b.position);
}

/** colourZones are the zones shoppers choose a colour in, in display order. */
export function colourZones(zones: Zone[]): Zone[] {
  return zones.filter((z) => z.type === 'colour').sort((a, b) => a.position - b.position);
}

/** allows says whether a zone takes a layer type (all types when unset). */
export function allows(z: Zone, type: string): boolean {
  return !z.layer_types || z.layer_types.length === 0 || z.layer_types.includes(type);
}

/** zoneSize is a print zone's size in mm (a square when the zone has none). */
export function zoneSize(z: Zone): { w: number; h: number } {
  const w = z.width_mm && z.width_mm > 0 ? z.width_mm : 100;
  const h = z.height_mm && z.height_mm > 0 ? z.height_mm : w;
  return { w, h };
}

/** zoneKey identifies what a zone looks like, for the preview cache. */
export function zoneKey(doc: DesignDocument, zoneId: string): string {
  return JSON.stringify(entry(doc, zoneId)?.layers ?? []);
}

/**
 * forServer is the document as the server gets it: a text layer the
 * shopper has emptied (while retyping) prints nothing and would be refused,
 * so it is left out until it holds text again.
 */
export function forServer(doc: DesignDocument): DesignDocument {
  const blank = (l: Layer): boolean => l.type === 'text' && l.text.trim() === '';
  if (!doc.zones.some((z) => z.layers?.some(blank))) return doc;
  const zones = doc.zones
    .map((z) => (z.layers ? { ...z, layers: z.layers.filter((l) => !blank(l)) } : z))
    .filter((z) => !z.layers || z.layers.length > 0 || z.colour);
  return { ...doc, zones };
}
