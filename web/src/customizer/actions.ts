// What the shopper does with a design: undo and redo, save (a new design,
// then new versions of it), view it in AR (on a phone the AR page opens in
// a new window; on a computer a QR code to scan with one), add it to the
// store's cart (saved first, then handed to the store page), and pick up
// their last design again.

import type { Customizer } from './app.js';
import { errText } from './api.js';
import { forServer } from './doc.js';
import { h, listen } from './dom.js';
import type { ARAnswer, DesignAnswer, DesignDocument, DesignSummary } from './types.js';

/** isPhone says whether AR should open here rather than through a QR code. */
export function isPhone(): boolean {
  const ua = navigator.userAgent;
  const data = (navigator as Navigator & { userAgentData?: { mobile?: boolean } }).userAgentData;
  return data?.mobile === true || /Android|iPhone|iPad|iPod|Mobile/i.test(ua) ||
    (matchMedia('(pointer: coarse)').matches && matchMedia('(hover: none)').matches);
}

/** Actions is the action bar, the AR dialog and the "continue" offer. */
export class Actions {
  readonly el: HTMLElement;
  readonly dialog: HTMLDialogElement;
  readonly resumeEl: HTMLElement;
  private readonly undoBtn: HTMLButtonElement;
  private readonly redoBtn: HTMLButtonElement;
  private readonly saveBtn: HTMLButtonElement;
  private readonly arBtn: HTMLButtonElement;
  private readonly cartBtn: HTMLButtonElement;
  private readonly nameInput: HTMLInputElement;
  private readonly arBody: HTMLElement;
  private last: { answer: DesignAnswer; key: string } | null = null;
  private link = '';
  private busy = false;
  private arPoll = 0;

  constructor(private readonly c: Customizer) {
    const { t } = c;
    const button = (testid: string, text: string, cls = 'lw-button'): HTMLButtonElement =>
      h('button', { type: 'button', class: cls, testid, text });
    this.undoBtn = button('undo', t('history.undo'));
    this.undoBtn.setAttribute('aria-keyshortcuts', 'Control+Z Meta+Z');
    this.redoBtn = button('redo', t('history.redo'));
    this.redoBtn.setAttribute('aria-keyshortcuts', 'Control+Shift+Z Meta+Shift+Z Control+Y');
    this.saveBtn = button('save', t('save.button'));
    this.arBtn = button('view-ar', t('ar.button'));
    this.cartBtn = button('add-to-cart', t('cart.button'), 'lw-button lw-primary');
    this.nameInput = h('input', { type: 'text', id: 'lw-design-name', class: 'lw-input', testid: 'design-name', maxlength: 120,
      placeholder: c.product.product.name, autocomplete: 'off' });
    listen(this.undoBtn, 'click', () => c.undo());
    listen(this.redoBtn, 'click', () => c.redo());
    listen(this.saveBtn, 'click', () => void this.save());
    listen(this.arBtn, 'click', () => void this.viewAR());
    listen(this.cartBtn, 'click', () => void this.addToCart());
    this.el = h('div', { class: 'lw-actions' },
      h('div', { class: 'lw-history' }, this.undoBtn, this.redoBtn),
      h('div', { class: 'lw-field lw-name' }, h('label', { for: 'lw-design-name', text: t('save.name') }), this.nameInput),
      h('div', { class: 'lw-buttons' }, this.saveBtn, this.arBtn, this.cartBtn));

    this.arBody = h('div', { class: 'lw-dialog-body', 'aria-live': 'polite', testid: 'ar-body' });
    const close = button('ar-close', t('dialog.close'));
    this.dialog = h('dialog', { class: 'lw-dialog', testid: 'ar-dialog', 'aria-labelledby': 'lw-ar-title' },
      h('h2', { id: 'lw-ar-title', class: 'lw-subtitle', text: t('ar.title') }), this.arBody, h('div', { class: 'lw-buttons' }, close));
    listen(close, 'click', () => this.dialog.close());
    listen(this.dialog, 'close', () => window.clearTimeout(this.arPoll));
    this.resumeEl = h('div', { class: 'lw-resume', testid: 'resume', hidden: true });
  }

  /** update enables what makes sense for the design as it stands. */
  update(): void {
    this.undoBtn.disabled = !this.c.history.canUndo;
    this.redoBtn.disabled = !this.c.history.canRedo;
    const dirty = this.dirty();
    this.saveBtn.disabled = this.busy || !dirty;
    this.saveBtn.textContent = this.c.t(dirty ? 'save.button' : 'save.saved');
    this.saveBtn.dataset.state = dirty ? 'dirty' : 'saved';
    this.arBtn.disabled = this.busy;
    this.cartBtn.disabled = this.busy;
  }

  /** dirty says whether the design differs from its last save (or was never saved). */
  private dirty(): boolean {
    return !this.last || this.last.key !== JSON.stringify(forServer(this.c.doc));
  }

  /** saved records a save (or a reopened design) as the design's last version. */
  saved(a: DesignAnswer, doc: DesignDocument, link: string): void {
    this.last = { answer: a, key: JSON.stringify(forServer(doc)) };
    if (link) this.link = link;
    else if (a.link && !this.link) this.link = a.link;
    if (a.design.name && a.design.name !== this.c.product.product.name) this.nameInput.value = a.design.name;
    const root = this.c.env.root;
    root.dataset.designId = a.design.id;
    root.dataset.designVersion = String(a.version?.number ?? a.design.version);
    this.c.acceptQuote(forServer(doc), a.price);
  }

  /** save stores the design (a new version when it was saved before) and returns the answer. */
  async save(): Promise<DesignAnswer | null> {
    const { c } = this;
    if (this.last && !this.dirty()) return this.last.answer;
    const doc = forServer(c.doc);
    this.setBusy(true);
    c.say(c.t('save.saving'));
    try {
      const a = this.last
        ? await c.api.version(this.last.answer.design.id, doc, this.link)
        : await c.api.create(doc, this.nameInput.value.trim());
      a.link = a.link || this.link;
      this.saved(a, doc, '');
      this.link = a.link || this.link;
      const warn = (a.warnings ?? []).map((w) => w.message);
      c.say(c.t('save.done', { n: a.version?.number ?? a.design.version }) + (warn.length ? ' ' + warn.join(' ') : ''));
      return a;
    } catch (err) {
      c.alert(c.t('save.failed', { reason: errText(err) }));
      return null;
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(b: boolean): void {
    this.busy = b;
    this.c.env.root.toggleAttribute('data-busy', b);
    this.update();
  }

  /** addToCart saves if needed, then hands the design to the store page. */
  private async addToCart(): Promise<void> {
    const { c } = this;
    const a = await this.save();
    if (!a) return;
    const price = a.price ?? c.priceNow();
    let page = '';
    try {
      page = await c.env.pageUrl();
    } catch {
      page = '';
    }
    const item = {
      designId: a.design.id,
      version: a.version?.number ?? a.design.version,
      properties: {
        Design: a.design.name || this.nameInput.value.trim() || c.product.product.name,
        _luneo_design: a.design.id,
        _luneo_version: String(a.version?.number ?? a.design.version),
        _luneo_link: designLinkURL(page, this.link),
      },
      previewUrl: a.preview_url,
      // fee: the customization part of amount (the quote's lines, without
      // the product's own price), which a store charges on top of its own
      // product price (the Shopify block's fee line or Cart Transform).
      price: { amount: price.amount, currency: price.currency, formatted: c.formatPrice(price.amount), fee: (price.lines ?? []).reduce((s, l) => s + l.amount, 0) },
    };
    c.env.post({ type: 'addToCart', item });
    c.env.root.dataset.cart = String(Number(c.env.root.dataset.cart || '0') + 1);
    c.say(c.t('cart.added', { price: item.price.formatted }));
  }

  /** viewAR saves if needed, then opens the AR page or shows its QR code. */
  private async viewAR(): Promise<void> {
    const { c } = this;
    const phone = isPhone();
    this.arBody.replaceChildren(h('p', { text: c.t('ar.preparing') }));
    if (!this.dialog.open) this.dialog.showModal();
    const a = await this.save();
    if (!a) {
      this.dialog.close();
      return;
    }
    const started = Date.now();
    const poll = async (): Promise<void> => {
      let ar: ARAnswer;
      try {
        ar = await c.api.ar(a.design.id);
      } catch (err) {
        this.arBody.replaceChildren(h('p', { class: 'lw-error', text: c.t('ar.failed', { reason: errText(err) }) }));
        return;
      }
      this.arBody.dataset.status = ar.status;
      if (ar.status === 'pending' && Date.now() - started < 180_000) {
        this.arBody.replaceChildren(h('p', { text: c.t('ar.pending') }));
        if (this.dialog.open) this.arPoll = window.setTimeout(() => void poll(), 2000);
        return;
      }
      if (ar.status !== 'ready') {
        this.arBody.replaceChildren(h('p', { class: 'lw-error', text: c.t('ar.failed', { reason: ar.status }) }));
        return;
      }
      this.showAR(ar, phone);
    };
    await poll();
  }

  private showAR(ar: ARAnswer, phone: boolean): void {
    const { t } = this.c;
    const link = h('a', { href: ar.page_url, target: '_blank', rel: 'noopener', class: 'lw-button lw-primary', testid: 'ar-link',
      text: t('ar.open') });
    if (phone) {
      // Still within the click's activation on most phones; if the browser
      // blocks the window, the link does the same with a tap.
      const w = window.open(ar.page_url, '_blank');
      if (w) {
        w.opener = null;
        this.dialog.close();
        return;
      }
      this.arBody.replaceChildren(link);
      return;
    }
    const qr = h('img', { src: ar.qr, alt: t('ar.qrAlt'), class: 'lw-qr', testid: 'ar-qr', width: 220, height: 220 });
    this.arBody.replaceChildren(h('p', { text: t('ar.scan') }), qr, h('p', { class: 'lw-muted', text: t('ar.orOpen') }), link);
  }

  /** offerResume shows "continue your last design". */
  offerResume(d: DesignSummary): void {
    const { c } = this;
    const when = new Date(d.updated_at);
    const date = Number.isNaN(when.getTime()) ? '' : new Intl.DateTimeFormat(c.env.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(when);
    const go = h('button', { type: 'button', class: 'lw-button lw-primary', testid: 'continue-last', text: c.t('resume.continue') });
    const no = h('button', { type: 'button', class: 'lw-button', testid: 'start-new', text: c.t('resume.new') });
    listen(go, 'click', async () => {
      go.disabled = true;
      try {
        c.load(await c.api.design(d.id), '');
        this.resumeEl.hidden = true;
      } catch (err) {
        go.disabled = false;
        c.alert(c.t('error.reopen', { reason: errText(err) }));
      }
    });
    listen(no, 'click', () => (this.resumeEl.hidden = true));
    this.resumeEl.replaceChildren(h('p', { text: c.t('resume.text', { name: d.name || c.product.product.name, date }) }), go, no);
    this.resumeEl.hidden = false;
  }
}

/** designLinkURL is the store page's URL with luneo_design=<link token>. */
export function designLinkURL(page: string, link: string): string {
  if (!page || !link) return '';
  try {
    const u = new URL(page);
    u.searchParams.set('luneo_design', link);
    u.hash = '';
    return u.href;
  } catch {
    return '';
  }
}
