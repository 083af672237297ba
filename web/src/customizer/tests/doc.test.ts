import { addLayer, emptyDocument, forServer, layersOf, removeLayer, resetZone, restack, setColour, updateLayer, zoneKey } from '../doc.js';
import type { DesignDocument, TextLayer } from '../types.js';
import { eq, ok, run, test } from './testing.js';

const product = { id: 'p1', name: 'Mug', description: '', price: 1000, currency: 'EUR', currency_digits: 2, variant: { id: 'v1', name: 'Blue' } };
const text = (s: string): TextLayer => ({ type: 'text', text: s, font: 'Noto Sans', size_pt: 12, color: '#000000', align: 'left', x_mm: 1, y_mm: 2, rotation: 0 });

test('a new document names the product and variant', () => {
  eq(emptyDocument(product), { v: 1, product_id: 'p1', zones: [], variant_id: 'v1' });
});

test('edits make new documents and leave the old one', () => {
  const d0 = emptyDocument(product);
  const { doc: d1, index } = addLayer(d0, 'z', text('a'));
  eq(index, 0);
  eq(d0.zones, [], 'the first document is unchanged');
  const d2 = addLayer(d1, 'z', text('b')).doc;
  const d3 = updateLayer<TextLayer>(d2, 'z', 0, { text: 'A' });
  eq(layersOf(d2, 'z').map((l) => (l as TextLayer).text), ['a', 'b']);
  eq(layersOf(d3, 'z').map((l) => (l as TextLayer).text), ['A', 'b']);
  eq(layersOf(restack(d3, 'z', 0, 1), 'z').map((l) => (l as TextLayer).text), ['b', 'A']);
  eq(layersOf(removeLayer(d3, 'z', 0), 'z').length, 1);
});

test('a fill goes under the other layers', () => {
  const d = addLayer(addLayer(emptyDocument(product), 'z', text('a')).doc, 'z', { type: 'colour', color: '#ff0000' });
  eq(d.index, 0);
  eq(layersOf(d.doc, 'z')[0]?.type, 'colour');
});

test('an empty zone leaves the document, and reset empties a zone', () => {
  let d: DesignDocument = addLayer(emptyDocument(product), 'z', text('a')).doc;
  d = removeLayer(d, 'z', 0);
  eq(d.zones, []);
  d = addLayer(d, 'z', text('a')).doc;
  eq(resetZone(d, 'z').zones, []);
  eq(setColour(d, 'c', '#123456').zones[1], { zone_id: 'c', colour: '#123456' });
  eq(setColour(setColour(d, 'c', '#123456'), 'c', '').zones.length, 1, 'no colour, no entry');
});

test('the server never gets a blank text layer', () => {
  const d = addLayer(addLayer(emptyDocument(product), 'z', text('  ')).doc, 'y', text('x')).doc;
  const s = forServer(d);
  eq(s.zones.map((z) => z.zone_id), ['y']);
  ok(forServer(s) === s, 'a clean document is returned as it is');
  ok(zoneKey(d, 'z') !== zoneKey(s, 'z'), 'the zone looks different to the server');
});

void run();
