// Runs Shopify's Theme Check on a theme app extension with the config
// Shopify's CLI uses for extensions ("theme-check:theme-app-extension"),
// prints every offense (file:line:col severity check message) and exits 1
// when there is any, whatever its severity: CI accepts no offense at all.
//
// Usage: node check.mjs <extension folder>
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { themeCheckRun, Severity } from '@shopify/theme-check-node';

const root = process.argv[2];
if (!root) {
  console.error('usage: node check.mjs <theme app extension folder>');
  process.exit(2);
}
const abs = resolve(root);
const pkg = JSON.parse(readFileSync(new URL('./node_modules/@shopify/theme-check-node/package.json', import.meta.url), 'utf8'));
const names = { [Severity.ERROR]: 'error', [Severity.WARNING]: 'warning', [Severity.INFO]: 'info' };

// The docs updater may log that it cannot reach the network and falls back
// to the docs bundled with the package: that is expected offline.
const run = await themeCheckRun(abs, 'theme-check:theme-app-extension', () => {});
const checked = run.theme.length;
for (const o of run.offenses) {
  const file = o.uri.replace('file://' + abs + '/', '');
  const at = o.start ? `${o.start.line + 1}:${o.start.character + 1}` : '?';
  console.log(`${file}:${at} ${names[o.severity] ?? o.severity} ${o.check}: ${o.message}`);
}
console.log(`theme-check-node ${pkg.version} (theme-check:theme-app-extension): ${checked} files, ${run.offenses.length} offenses`);
if (checked === 0) {
  console.error('no file checked: is ' + abs + ' a theme app extension?');
  process.exit(1);
}
process.exit(run.offenses.length === 0 ? 0 : 1);
