// The Personalize block's pure helpers (assets/luneo-personalize.js): the
// cart line's properties, the fee, the fee line, and the refusals. Run with
// `node --test shopify/tests/` (Node 20, no dependencies); the Go test in
// shopify/ runs it in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { feeOf, plan, feeLine } = require('../extensions/luneo-theme/assets/luneo-personalize.js');

const design = '01938c2e-5f1a-7b2c-8d3e-4f5a6b7c7a1b';
// What onAddToCart receives (docs/embed.md, section 6).
const item = (price) => ({
  designId: design,
  version: 3,
  properties: { Design: 'Mug', _luneo_design: design, _luneo_version: '3', _luneo_link: 'https://shop.example/p?luneo_design=de_x' },
  previewUrl: 'https://luneo.example/p/dp_abc',
  price: { amount: 1940, currency: 'EUR', formatted: '€19.40', fee: 650, ...price },
});
const page = { variant: '4242', quantity: '2', currency: 'EUR', shopCurrency: 'EUR', transform: false, feeVariant: '777' };

test('the customized line carries the contract properties', () => {
  const p = plan(item(), page);
  assert.deepEqual(p.line, {
    id: 4242,
    quantity: 2,
    properties: {
      _luneo_design: design + ':v3',
      _luneo_fee: '650',
      Personalization: 'https://luneo.example/p/dp_abc',
      _luneo_currency: 'EUR',
    },
  });
  assert.equal(p.fee, 650);
  assert.equal(p.transform, false);
});

test('the fee line is bound to the design and the customized line', () => {
  const p = plan(item(), page);
  assert.deepEqual(feeLine(p, '4242:abcdef'), {
    id: 777,
    quantity: 1300, // 650 minor units × 2 designs, at one minor unit each
    properties: { _luneo_design: design + ':v3', _luneo_fee_for: '4242:abcdef' },
  });
});

test('Cart Transform shops get no fee line and need no fee variant', () => {
  const p = plan(item(), { ...page, transform: true, feeVariant: '', currency: 'USD' });
  assert.equal(p.error, undefined);
  assert.equal(p.transform, true);
  assert.equal(p.line.properties._luneo_fee, '650');
  assert.equal(p.feeVariant, undefined);
});

test('the fee comes from price.fee, else the quote lines, else 0', () => {
  assert.equal(feeOf(item()), 650);
  assert.equal(feeOf(item({ fee: undefined, lines: [{ label: 'a', amount: 250 }, { label: 'b', amount: 400 }] })), 650);
  assert.equal(feeOf(item({ fee: -5 })), 0);
  assert.equal(feeOf(item({ fee: 1.5 })), 0);
  assert.equal(feeOf(item({ fee: '650' })), 0);
  assert.equal(feeOf(item({ fee: undefined, lines: [{ amount: -1 }] })), 0);
  assert.equal(feeOf({ designId: design, version: 1 }), 0);
});

test('a design without a fee needs no fee setup and no currency match', () => {
  const p = plan(item({ fee: 0, currency: 'USD' }), { ...page, feeVariant: '' });
  assert.equal(p.error, undefined);
  assert.equal(p.line.properties._luneo_fee, '0');
});

test('refusals', () => {
  assert.equal(plan(item(), { ...page, feeVariant: '' }).error, 'feeSetup');
  assert.equal(plan(item(), { ...page, feeVariant: 'gid://shopify/ProductVariant/1' }).error, 'feeSetup');
  assert.equal(plan(item({ currency: 'USD' }), page).error, 'currency');
  // A fee line in another presentment currency would be converted unit by unit.
  assert.equal(plan(item(), { ...page, currency: 'USD' }).error, 'currency');
  assert.equal(plan({ ...item(), version: 0 }, page).error, 'design');
  assert.equal(plan({ ...item(), designId: 'x"y' }, page).error, 'design');
  assert.equal(plan(null, page).error, 'design');
  assert.equal(plan(item(), { ...page, variant: 'abc' }).error, 'error');
});

test('a bad quantity counts as one; a preview URL that is not http(s) is left out', () => {
  const p = plan({ ...item(), previewUrl: 'javascript:alert(1)' }, { ...page, quantity: '-3' });
  assert.equal(p.line.quantity, 1);
  assert.equal('Personalization' in p.line.properties, false);
});
