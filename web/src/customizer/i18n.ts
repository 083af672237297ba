// The customizer's strings: one plain object per locale (locales/en.ts is
// the reference; fr.ts must have every key, which its type enforces and
// the unit tests check again), chosen by the frame URL's locale parameter.
// Placeholders are {name}; numbers and money are formatted with Intl in the
// same locale.

import { en } from './locales/en.js';
import { fr } from './locales/fr.js';

export type Key = keyof typeof en;
export type Dict = { readonly [K in Key]: string };

const dicts: Record<string, Dict> = { en, fr };

/** locales lists the locales the customizer speaks. */
export const locales = Object.keys(dicts);

/** pickLocale returns a supported locale for a URL parameter (English by default). */
export function pickLocale(param: string | null): string {
  const l = (param || '').toLowerCase().split(/[-_]/)[0] || '';
  return l in dicts ? l : 'en';
}

/** T translates a key, filling in {placeholders}. */
export type T = (key: Key, vars?: Record<string, string | number>) => string;

/** translator returns the T of a locale. */
export function translator(locale: string): T {
  const d = dicts[locale] ?? en;
  return (key, vars) => {
    const s = d[key] ?? en[key];
    if (!vars) return s;
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}

/** formatNumber writes n with at most digits decimals, as the locale does. */
export function formatNumber(n: number, locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
}
