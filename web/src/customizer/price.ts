// The live price: the product's price plus the pricing rules that the
// current design triggers, computed on every change without a request. The
// server's quote (POST /api/embed/quote, and the price in every save answer)
// is authoritative: the customizer shows it once it arrives and uses it for
// the cart.
//
// A rule applies once per zone: {zone_id, layer_type, amount} adds amount
// when the zone (any zone when zone_id is "") holds at least one layer of
// layer_type (any layer when ""); a colour zone with a colour chosen counts
// as holding a "colour" layer.

import type { DesignDocument, PriceRule, ProductAnswer, Quote, Zone } from './types.js';

/** Label says how a quote line is named: zone name and layer type. */
export type Label = (zoneName: string, layerType: string) => string;

/** quote computes the price of doc. */
export function quote(p: ProductAnswer['product'], rules: PriceRule[], zones: Zone[], doc: DesignDocument, label: Label): Quote {
  const byId = new Map(zones.map((z) => [z.id, z]));
  const lines: Quote['lines'] = [];
  let amount = p.price;
  for (const dz of doc.zones) {
    const z = byId.get(dz.zone_id);
    if (!z) continue;
    const types = new Set<string>();
    for (const l of dz.layers ?? []) types.add(l.type);
    if (dz.colour) types.add('colour');
    if (types.size === 0) continue;
    for (const r of rules) {
      if (r.zone_id !== '' && r.zone_id !== z.id) continue;
      if (r.layer_type !== '' && !types.has(r.layer_type)) continue;
      amount += r.amount;
      lines.push({ label: label(z.name, r.layer_type), amount: r.amount });
    }
  }
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
