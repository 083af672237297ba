/* Luneo "Personalize" app block (vanilla JS, no build step; Theme Check caps
 * app block scripts at 10 KB). Asks Luneo which Luneo product this Shopify
 * product is mapped to (the block stays hidden when none), mounts the widget
 * with LuneoWidget.init (loaded by the "Luneo widget" app embed) and, on
 * onAddToCart, adds the selected variant with the design's line properties
 * through Shopify's Cart AJAX API, then the personalization fee: a fee line
 * (the merchant's fee variant, priced one minor unit, quantity = fee) bound to
 * the design, or nothing on Shopify Plus shops whose Cart Transform prices
 * the line. The pure helpers are exported for Node tests. */
(function () {
  'use strict';

  var isCount = function (v) { return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0; };

  /** feeOf: the personalization fee of an onAddToCart item, in minor units:
   * price.fee when the widget sends it, else the sum of the quote's lines,
   * else 0 (Luneo re-checks the fee against its quote at order time). */
  function feeOf(item) {
    var p = item && item.price;
    if (!p) return 0;
    if (isCount(p.fee)) return p.fee;
    if (Array.isArray(p.lines)) {
      var sum = 0;
      for (var i = 0; i < p.lines.length; i++) {
        if (!p.lines[i] || !isCount(p.lines[i].amount)) return 0;
        sum += p.lines[i].amount;
      }
      return isCount(sum) ? sum : 0;
    }
    return 0;
  }

  /** plan turns an onAddToCart item and the page's state into the cart line
   * to add and the fee to charge, or {error: <message key>}. o: {variant,
   * quantity, currency (the cart's), shopCurrency, transform, feeVariant}. */
  function plan(item, o) {
    if (!item || typeof item.designId !== 'string' || !/^[0-9A-Za-z-]{1,64}$/.test(item.designId) ||
        !Number.isSafeInteger(item.version) || item.version < 1) return { error: 'design' };
    var variant = Number(o.variant), qty = Number(o.quantity) || 1;
    if (!Number.isSafeInteger(variant) || variant < 1) return { error: 'error' };
    if (!Number.isSafeInteger(qty) || qty < 1) qty = 1;
    var fee = feeOf(item), design = item.designId + ':v' + item.version;
    var props = { _luneo_design: design, _luneo_fee: String(fee) };
    if (typeof item.previewUrl === 'string' && /^https?:\/\//.test(item.previewUrl)) props.Personalization = item.previewUrl;
    var cur = item.price && typeof item.price.currency === 'string' ? item.price.currency.toUpperCase() : '';
    if (cur) props._luneo_currency = cur;
    var p = { line: { id: variant, quantity: qty, properties: props }, fee: fee, design: design, transform: !!o.transform };
    if (fee === 0) return p;
    // The fee is in the Luneo product's currency: it must be the shop's. A fee
    // line is a Shopify price, converted unit by unit in another currency, so
    // it is charged only in the shop's own; Cart Transform converts the total.
    if (cur !== String(o.shopCurrency || '').toUpperCase() || (!p.transform && cur !== String(o.currency || '').toUpperCase())) return { error: 'currency' };
    if (p.transform) return p;
    var fv = Number(o.feeVariant);
    if (!Number.isSafeInteger(fv) || fv < 1) return { error: 'feeSetup' };
    p.feeVariant = fv;
    return p;
  }

  /** feeLine is the fee line bound to the customized line (its cart key):
   * quantity = fee × the design's quantity, at one minor unit each. */
  function feeLine(p, key) {
    return { id: p.feeVariant, quantity: p.fee * p.line.quantity, properties: { _luneo_design: p.design, _luneo_fee_for: key } };
  }

  var api = { feeOf: feeOf, plan: plan, feeLine: feeLine };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
    return;
  }

  /** luneoBase is Luneo's origin, from the app embed's loader script. */
  function luneoBase() {
    var s = document.querySelector('script[data-luneo-loader]') || document.querySelector('script[src*="/embed/luneo.js"]');
    try { return s ? new URL(s.src, location.href).origin : ''; } catch (e) { return ''; }
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var e = new Error(j.description || j.message || 'HTTP ' + r.status);
          e.shown = !!(j.description || j.message);
          throw e;
        }
        return j;
      });
    });
  }

  function boot(el) {
    if (el.getAttribute('data-luneo-bound')) return;
    el.setAttribute('data-luneo-bound', '1');
    var d = el.dataset;
    var q = function (a) { return el.querySelector('[data-luneo-' + a + ']'); };
    var btn = q('open'), box = q('box'), status = q('status'), alert = q('error');
    var msgs = { error: d.msgError, loader: d.msgLoader, feeSetup: d.msgFeeSetup, currency: d.msgCurrency, design: d.msgDesign };
    var section = el.closest('.shopify-section') || document;
    var form = function () {
      return section.querySelector('form[action*="/cart/add"]') || document.querySelector('form[action*="/cart/add"]');
    };
    var say = function (t) { status.textContent = t || ''; };
    var fail = function (t) {
      say('');
      alert.textContent = t;
      alert.hidden = false;
      alert.focus();
    };
    var base = luneoBase(), mapped = null, mounted = false, busy = false;

    if (!base) {
      if (d.designMode === 'true') { el.hidden = false; fail(msgs.loader); }
      return;
    }
    fetch(base + '/api/shopify/storefront/product?shop=' + encodeURIComponent(d.shop) + '&product=' + encodeURIComponent(d.product), { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (m) {
        // data-luneo-state tells themes (and tests) the resolution is over.
        if (!m || !m.brand || !m.product) return el.setAttribute('data-luneo-state', 'unmapped');
        mapped = m;
        el.hidden = false;
        el.setAttribute('data-luneo-state', 'ready');
      })
      .catch(function () { el.setAttribute('data-luneo-state', 'error'); }); // stays hidden

    function add(item) {
      if (busy) return;
      var f = form();
      var idEl = f && f.querySelector('[name="id"]'), qtyEl = f && f.querySelector('[name="quantity"]');
      var p = plan(item, {
        variant: idEl && idEl.value ? idEl.value : d.variant,
        quantity: qtyEl ? qtyEl.value : 1,
        currency: d.currency, shopCurrency: d.shopCurrency,
        transform: d.transform === 'true', feeVariant: d.feeVariant
      });
      if (p.error) return fail(msgs[p.error]);
      busy = true;
      alert.hidden = true;
      say(d.msgAdding);
      var added = null;
      post(d.cartAdd + '.js', { items: [p.line] })
        .then(function (r) {
          added = r.items && r.items[0];
          if (!added || !added.key) throw new Error('no line');
          if (p.transform || p.fee === 0) return null;
          return post(d.cartAdd + '.js', { items: [feeLine(p, added.key)] }).catch(function (err) {
            // Nothing half-added: take the design's units back out.
            return post(d.cartChange + '.js', { id: added.key, quantity: Math.max(0, added.quantity - p.line.quantity) })
              .then(function () { throw err; }, function () { throw err; });
          });
        })
        .then(function (feeRes) {
          busy = false;
          say(d.msgAdded);
          var ev = new CustomEvent('luneo:cart-added', {
            bubbles: true, cancelable: true,
            detail: { item: item, line: added, feeLine: feeRes && feeRes.items ? feeRes.items[0] : null }
          });
          // A theme that refreshes its own cart drawer cancels the event;
          // otherwise the shopper goes to the cart page.
          if (el.dispatchEvent(ev)) location.href = d.cart;
          else document.dispatchEvent(new CustomEvent('cart:refresh', { bubbles: true }));
        })
        .catch(function (err) {
          busy = false;
          fail(err && err.shown ? err.message : msgs.error);
        });
    }

    btn.addEventListener('click', function () {
      if (!mapped) return;
      var open = btn.getAttribute('aria-expanded') !== 'true';
      btn.setAttribute('aria-expanded', String(open));
      box.hidden = !open;
      if (!open || mounted) return;
      if (!window.LuneoWidget) return fail(msgs.loader);
      var f = form();
      if (d.placement === 'below_form' && f) f.insertAdjacentElement('afterend', box);
      mounted = true;
      window.LuneoWidget.init({
        brand: mapped.brand, product: mapped.product, container: box, locale: d.locale,
        onAddToCart: add,
        onError: function (e) { fail(msgs.error); if (window.console) console.error(e); }
      });
    });
  }

  var start = function () { document.querySelectorAll('[data-luneo-personalize]').forEach(boot); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  // The theme editor re-renders sections in place.
  document.addEventListener('shopify:section:load', start);
})();
