import { formatMoney, quote } from '../price.js';
import type { DesignDocument, PriceRule, Zone } from '../types.js';
import { eq, run, test } from './testing.js';

const product = { id: 'p1', name: 'Mug', description: '', price: 2500, currency: 'EUR', currency_digits: 2, variant: null };
const zone = (id: string, name: string, type: 'print' | 'colour' = 'print'): Zone => ({ id, name, type } as Zone);
const zones = [zone('front', 'Front'), zone('back', 'Back'), zone('body', 'Body', 'colour')];
const label = (z: string, t: string): string => z + ':' + t;

test('each rule applies once per zone that uses its layer type', () => {
  const rules: PriceRule[] = [
    { zone_id: '', layer_type: 'text', amount: 500 },
    { zone_id: 'back', layer_type: 'image', amount: 300 },
    { zone_id: '', layer_type: '', amount: 100 },
  ];
  const doc: DesignDocument = { v: 1, product_id: 'p1', zones: [
    { zone_id: 'front', layers: [{ type: 'text' } as never, { type: 'text' } as never, { type: 'image' } as never] },
    { zone_id: 'back', layers: [{ type: 'image' } as never] },
  ] };
  const q = quote(product, rules, zones, doc, label);
  eq(q.amount, 2500 + 500 + 100 + 300 + 100);
  eq(q.lines.map((l) => l.label), ['Front:text', 'Front:', 'Back:image', 'Back:']);
  eq(q.currency, 'EUR');
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
