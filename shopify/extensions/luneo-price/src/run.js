// @ts-check
// Luneo's Cart Transform: on Shopify Plus (and development) stores, the only
// ones allowed lineUpdate operations, each personalized cart line is priced
// at its unit price + the personalization fee, and titled "… (personalized)".
//
// A line is personalized when it carries `_luneo_design` ("{designId}:v{N}")
// and `_luneo_fee` (the fee in minor units of the shop's currency, set by the
// theme block; `_luneo_currency` names that currency). Everything else is
// left as it is: lines without a design, fee text that is not a plain
// non-negative integer, a zero fee, the fee lines themselves
// (`_luneo_fee_for`) and a design whose fee line is already in the cart (the
// fee is charged once). The function never throws and never lowers a price:
// Luneo re-checks the fee against its own quote when the order arrives.

/** Currencies whose minor unit is not a hundredth (ISO 4217). */
const DIGITS = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

const DESIGN = /^[0-9A-Za-z-]{1,64}:v[1-9][0-9]{0,8}$/;
const FEE = /^[0-9]{1,12}$/;
const DECIMAL = /^([0-9]{1,15})(?:\.([0-9]{0,12}))?$/;

/** digits is how many minor digits the currency code has (2 when unknown). */
export function digits(code) {
  if (typeof code !== 'string') return 2;
  const d = DIGITS[code.trim().toUpperCase()];
  return d === undefined ? 2 : d;
}

/** toMinor reads a Decimal ("12.5") as integer minor units with d digits,
 * rounding half up past them; null when it is not a non-negative decimal. */
export function toMinor(text, d) {
  const m = DECIMAL.exec(String(text));
  if (!m) return null;
  const frac = (m[2] || '').padEnd(d + 1, '0');
  const minor = Number(m[1]) * 10 ** d + Number(frac.slice(0, d) || '0') + (Number(frac[d]) >= 5 ? 1 : 0);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** toDecimal writes integer minor units as a Decimal with d digits. */
export function toDecimal(minor, d) {
  if (d === 0) return String(minor);
  const s = String(minor).padStart(d + 1, '0');
  return s.slice(0, -d) + '.' + s.slice(-d);
}

const value = (attr) => (attr && typeof attr.value === 'string' ? attr.value : null);

/**
 * run is the function's entry point (target cart.transform.run).
 * @param {any} input the RunInput query's answer (src/run.graphql)
 * @returns {{operations: any[]}}
 */
export function run(input) {
  const operations = [];
  const lines = input && input.cart && Array.isArray(input.cart.lines) ? input.cart.lines : [];
  const rate = Number(input && input.presentmentCurrencyRate);
  if (!Number.isFinite(rate) || rate <= 0) return { operations };

  // Designs whose fee is already charged by a fee line.
  const feeLines = new Set();
  for (const line of lines) {
    const design = value(line && line.design);
    if (value(line && line.feeFor) !== null && design !== null) feeLines.add(design);
  }

  for (const line of lines) {
    if (!line || typeof line.id !== 'string' || value(line.feeFor) !== null) continue;
    const design = value(line.design);
    const fee = value(line.fee);
    if (design === null || !DESIGN.test(design) || feeLines.has(design)) continue;
    if (fee === null || !FEE.test(fee) || Number(fee) === 0) continue;
    const unit = line.cost && line.cost.amountPerQuantity;
    if (!unit) continue;
    const d = digits(unit.currencyCode);
    const original = toMinor(unit.amount, d);
    if (original === null) continue;
    // fee (shop currency, its minor units) → the cart's currency and digits.
    const added = Math.round((Number(fee) / 10 ** digits(value(line.feeCurrency))) * rate * 10 ** d);
    if (!Number.isSafeInteger(added) || added <= 0 || !Number.isSafeInteger(original + added)) continue;
    const m = line.merchandise;
    const name = m && m.product && typeof m.product.title === 'string' ? m.product.title : m && typeof m.title === 'string' ? m.title : '';
    const op = {
      cartLineId: line.id,
      price: { adjustment: { fixedPricePerUnit: { amount: toDecimal(original + added, d) } } },
    };
    if (name) op.title = name + ' (personalized)';
    operations.push({ lineUpdate: op });
  }
  return { operations };
}
