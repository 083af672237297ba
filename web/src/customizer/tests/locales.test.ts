// Every locale has exactly the English keys, with the same {placeholders}.

import { en } from '../locales/en.js';
import { fr } from '../locales/fr.js';
import { pickLocale, translator } from '../i18n.js';
import { eq, ok, run, test } from './testing.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

test('fr has every en key and no other', () => {
  const missing = Object.keys(en).filter((k) => !(k in fr));
  const extra = Object.keys(fr).filter((k) => !(k in en));
  eq(missing, [], 'keys missing from fr');
  eq(extra, [], 'keys fr has that en does not');
});

test('fr keeps the placeholders of each string', () => {
  for (const [k, v] of Object.entries(en)) {
    const f = (fr as Record<string, string>)[k] ?? '';
    eq(placeholders(f), placeholders(v), 'placeholders of ' + k);
    ok(f.trim() !== '', 'fr ' + k + ' is empty');
  }
});

test('the locale parameter picks a locale, English by default', () => {
  eq(pickLocale('fr'), 'fr');
  eq(pickLocale('fr-CA'), 'fr');
  eq(pickLocale('de'), 'en');
  eq(pickLocale(null), 'en');
});

test('translator fills placeholders and leaves unknown ones', () => {
  const t = translator('fr');
  eq(t('save.done', { n: 3 }), 'Design enregistré (version 3).');
  eq(translator('en')('price.line', { zone: 'Front' }), 'Front: {type}');
});

void run();
