// run() on inputs shaped as Shopify documents the Cart Transform input (the
// answer to src/run.graphql: Decimal amounts as strings, an aliased
// attribute as {value} or null when the line has no such property,
// merchandise with its __typename). Node 20's test runner, no dependencies:
//   node --test shopify/extensions/luneo-price/tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, toMinor, toDecimal, digits } from '../src/run.js';

const design = '01938c2e-5f1a-7b2c-8d3e-4f5a6b7c7a1b:v3';

function line(n, attrs = {}, amount = '24.0', currencyCode = 'EUR') {
  return {
    id: `gid://shopify/CartLine/${n}`,
    quantity: 2,
    cost: { amountPerQuantity: { amount, currencyCode } },
    merchandise: {
      __typename: 'ProductVariant',
      id: `gid://shopify/ProductVariant/${100 + n}`,
      title: 'Blue',
      product: { title: 'Mug' },
    },
    design: 'design' in attrs ? attrs.design : null,
    fee: 'fee' in attrs ? attrs.fee : null,
    feeCurrency: 'feeCurrency' in attrs ? attrs.feeCurrency : null,
    feeFor: 'feeFor' in attrs ? attrs.feeFor : null,
  };
}
const input = (lines, rate = '1.0') => ({ presentmentCurrencyRate: rate, cart: { lines } });
const v = (value) => ({ value });
const update = (n, amount, title = 'Mug (personalized)') => ({
  lineUpdate: {
    cartLineId: `gid://shopify/CartLine/${n}`,
    price: { adjustment: { fixedPricePerUnit: { amount } } },
    title,
  },
});

test('a personalized line is priced at its unit price + the fee, and titled', () => {
  const out = run(input([line(1, { design: v(design), fee: v('650'), feeCurrency: v('EUR') })]));
  assert.deepEqual(out, { operations: [update(1, '30.50')] });
});

test('lines without a design are untouched', () => {
  assert.deepEqual(run(input([line(1), line(2, { fee: v('650') })])), { operations: [] });
});

test('only personalized lines among others are updated', () => {
  const out = run(input([line(1), line(2, { design: v(design), fee: v('100') }), line(3)]));
  assert.deepEqual(out.operations, [update(2, '25.00')]);
});

test('malformed fee text leaves the line untouched, never negative, never throwing', () => {
  for (const fee of ['-650', '6.50', '1e3', ' 650', '650 ', '', 'abc', '0x10', '0', '00', '9999999999999', 'NaN', 'Infinity']) {
    const out = run(input([line(1, { design: v(design), fee: v(fee) })]));
    assert.deepEqual(out, { operations: [] }, `fee ${JSON.stringify(fee)}`);
  }
  // An attribute whose value is null (the property exists, empty).
  assert.deepEqual(run(input([line(1, { design: v(design), fee: { value: null } })])), { operations: [] });
});

test('malformed design text leaves the line untouched', () => {
  for (const d of ['', 'abc', 'abc:v0', 'abc:3', 'abc:v-1', 'a b:v1', `${design}\n`]) {
    assert.deepEqual(run(input([line(1, { design: v(d), fee: v('650') })])).operations, [], `design ${JSON.stringify(d)}`);
  }
});

test('fee lines are never updated, and a design with a fee line is not charged twice', () => {
  const out = run(input([
    line(1, { design: v(design), fee: v('650') }),
    line(2, { design: v(design), feeFor: v('101:abcdef') }, '0.01'),
    line(3, { design: v('other-design:v1'), fee: v('200') }),
  ]));
  assert.deepEqual(out.operations, [update(3, '26.00')]);
});

test('the fee is converted into the cart currency and its digits', () => {
  // Shop in EUR, cart in JPY at 160 yen a euro: 6.50 € → 1040 ¥.
  const out = run(input([line(1, { design: v(design), fee: v('650'), feeCurrency: v('EUR') }, '3840.0', 'JPY')], '160.0'));
  assert.deepEqual(out.operations, [update(1, '4880')]);
  // Shop in JPY (0 digits), cart in EUR.
  const out2 = run(input([line(1, { design: v(design), fee: v('1000'), feeCurrency: v('JPY') }, '24.0')], '0.00625'));
  assert.deepEqual(out2.operations, [update(1, '30.25')]);
  // Three-digit currencies.
  const out3 = run(input([line(1, { design: v(design), fee: v('1500'), feeCurrency: v('KWD') }, '2.5', 'KWD')]));
  assert.deepEqual(out3.operations, [update(1, '4.000')]);
});

test('a bad rate, a missing cost or a non-variant merchandise do not crash', () => {
  const l = line(1, { design: v(design), fee: v('650') });
  assert.deepEqual(run(input([l], 'abc')), { operations: [] });
  assert.deepEqual(run(input([l], '0')), { operations: [] });
  assert.deepEqual(run(input([{ ...l, cost: null }])), { operations: [] });
  assert.deepEqual(run(input([{ ...l, cost: { amountPerQuantity: { amount: '-3.0', currencyCode: 'EUR' } } }])), { operations: [] });
  const noTitle = run(input([{ ...l, merchandise: { __typename: 'CustomProduct' } }]));
  assert.deepEqual(noTitle.operations, [{ lineUpdate: { cartLineId: l.id, price: { adjustment: { fixedPricePerUnit: { amount: '30.50' } } } } }]);
  for (const bad of [null, undefined, {}, { cart: null }, { cart: { lines: null } }, { cart: { lines: [null, 3, 'x'] }, presentmentCurrencyRate: '1.0' }]) {
    assert.deepEqual(run(bad), { operations: [] });
  }
});

test('decimal helpers', () => {
  assert.equal(toMinor('24.0', 2), 2400);
  assert.equal(toMinor('24', 2), 2400);
  assert.equal(toMinor('9.999', 2), 1000);
  assert.equal(toMinor('9.994', 2), 999);
  assert.equal(toMinor('3840.0', 0), 3840);
  assert.equal(toMinor('-1.0', 2), null);
  assert.equal(toMinor('1e3', 2), null);
  assert.equal(toDecimal(5, 2), '0.05');
  assert.equal(toDecimal(3050, 2), '30.50');
  assert.equal(toDecimal(4880, 0), '4880');
  assert.equal(toDecimal(4000, 3), '4.000');
  assert.equal(digits('jpy'), 0);
  assert.equal(digits('XXX'), 2);
  assert.equal(digits(undefined), 2);
});
