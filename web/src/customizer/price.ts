// The live price: the product's price plus the pricing rules that the
// current design triggers, computed on every change without a request. The
// server's quote (POST /api/embed/quote, and the price in every save answer)
// is authoritative: the customizer shows it once it arrives and uses it for
// the cart.
//
// The rules are the catalog's (internal/catalog/pricing.go, catalog.Quote),
// computed the same way so the estimate and the server's quote agree: a rule
// with a layer type adds its amount per layer of that type in the zone (a
// colour zone's chosen colour counts as one colour layer); a rule without
// one adds it once per zone holding anything. For each zone and layer type
// the rule naming the zone wins over one for every zone (zone_id ""). Zones
// are taken in the product's zone order; in a zone, the "customized" line
// first, then text, image, colour.

import type { DesignDocument, PriceRule, ProductAnswer, Quote, Zone } from './types.js';

/** Label names a quote line: zone name, layer type ("" for the zone itself) and count. */
export type Label = (zoneName: string, layerType: string, count: number) => string;

/** The layer types rules may charge per layer, in line order. */
const chargedTypes = ['text', 'image', 'colour'];

/** rule finds the rule of a zone and layer type: the zone's own, else the first for every zone. */
function rule(rules: PriceRule[], zoneId: string, type: string): PriceRule | undefined {
  let wide: PriceRule | undefined;
  for (const r of rules) {
    if (r.layer_type !== type) continue;
    if (r.zone_id === zoneId) return r;
    if (r.zone_id === '' && !wide) wide = r;
  }
  return wide;
}

/** quote computes the price of doc. */
export function quote(p: ProductAnswer['product'], rules: PriceRule[], zones: Zone[], doc: DesignDocument, label: Label): Quote {
  const lines: Quote['lines'] = [];
  let amount = p.price;
  for (const z of zones) {
    const dz = doc.zones.find((d) => d.zone_id === z.id);
    if (!dz) continue;
    const counts = new Map<string, number>();
    for (const l of dz.layers ?? []) counts.set(l.type, (counts.get(l.type) ?? 0) + 1);
    if (dz.colour) counts.set('colour', (counts.get('colour') ?? 0) + 1);
    if (counts.size === 0) continue;
    const once = rule(rules, z.id, '');
    if (once && once.amount > 0) lines.push({ label: label(z.name, '', 1), amount: once.amount });
    for (const type of chargedTypes) {
      const n = counts.get(type) ?? 0;
      const r = rule(rules, z.id, type);
      if (n === 0 || !r || r.amount === 0) continue;
      lines.push({ label: label(z.name, type, n), amount: r.amount * n });
    }
  }
  for (const l of lines) amount += l.amount;
  return { amount, currency: p.currency, lines };
}

/** formatMoney writes an amount in minor units as the locale writes money. */
export function formatMoney(amount: number, currency: string, digits: number, locale: string): string {
  const d = Math.max(0, Math.min(4, Math.trunc(digits)));
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: d,
      maximumFractionDigits: d,
    }).format(amount / 10 ** d);
  } catch {
    // An unknown currency code: the number and the code are still right.
    return (amount / 10 ** d).toFixed(d) + ' ' + currency;
  }
}
