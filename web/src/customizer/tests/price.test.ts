import { formatMoney, quote } from '../price.js';
import type { DesignDocument, PriceRule, Zone } from '../types.js';
import { eq, run, test } from './testing.js';

const product = { id: 'p1', name: 'Mug', description: '', price: 2500, currency: 'EUR', currency_digits: 2, variant: null };
const zone = (id: string, name: string, type: 'print' | 'colour' = 'print'): Zone => ({ id, name, type } as Zone);
const zones = [zone('front', 'Front'), zone('back', 'Back'), zone('body', 'Body', 'colour')];
const label = (z: string, t: string, n: number): string => z + ':' + (n > 1 ? n + '×' : '') + t;

// The same table and design as catalog's TestQuote (internal/catalog/pricing_test.go):
// the estimate must equal the server's quote.
test('rules are charged per layer, the zone rule winning, like catalog.Quote', () => {
  const rules: PriceRule[] = [
    { zone_id: '', layer_type: 'text', amount: 300 },
    { zone_id: 'back', layer_type: 'text', amount: 500 },
    { zone_id: '', layer_type: 'image', amount: 800 },
    { zone_id: 'front', layer_type: '', amount: 200 },
    { zone_id: 'body', layer_type: 'colour', amount: 0 },
    { zone_id: '', layer_type: 'colour', amount: 150 },
  ];
  const all = [zone('front', 'Front'), zone('back', 'Back'), zone('sleeve', 'Sleeve'), zone('body', 'Body', 'colour'), zone('lid', 'Lid', 'colour')];
  const doc: DesignDocument = { v: 1, product_id: 'p1', zones: [
    { zone_id: 'body', colour: '#ff0000' },
    { zone_id: 'front', layers: [{ type: 'text' } as never, { type: 'image' } as never, { type: 'text' } as never] },
    { zone_id: 'back', layers: [{ type: 'text' } as never] },
    { zone_id: 'sleeve', layers: [] },
    { zone_id: 'lid', colour: '#00ff00' },
  ] };
  const q = quote({ ...product, price: 1990 }, rules, all, doc, label);
  eq(q.lines.map((l) => l.label + '=' + l.amount), ['Front:=200', 'Front:2×text=600', 'Front:image=800', 'Back:text=500', 'Lid:colour=150']);
  eq(q.amount, 1990 + 200 + 600 + 800 + 500 + 150);
  eq(q.currency, 'EUR');
  eq(quote(product, [], all, doc, label).amount, 2500, 'no rules, base price');
});

test('a colour chosen in a colour zone counts as a colour layer', () => {
  const rules: PriceRule[] = [{ zone_id: 'body', layer_type: 'colour', amount: 200 }];
  const doc: DesignDocument = { v: 1, product_id: 'p1', zones: [{ zone_id: 'body', colour: '#ff0000' }] };
  eq(quote(product, rules, zones, doc, label).amount, 2700);
  eq(quote(product, rules, zones, { ...doc, zones: [] }, label).amount, 2500, 'nothing chosen, base price');
});

test('money is written as the locale writes it, with the currency digits', () => {
  eq(formatMoney(1290, 'EUR', 2, 'en'), '€12.90');
  eq(formatMoney(1290, 'EUR', 2, 'fr').replace(/\s/g, ' '), '12,90 €');
  eq(formatMoney(1290, 'JPY', 0, 'en'), '¥1,290');
  eq(formatMoney(1290, 'ZZZ1', 2, 'en'), '12.90 ZZZ1', 'a code Intl refuses');
});

void run();
