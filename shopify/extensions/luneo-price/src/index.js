// Entry point Shopify's CLI builds (export "run" in shopify.extension.toml).
export { run } from './run.js';
