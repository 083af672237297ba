// The selected layer's settings: text, font, size, colour, alignment and
// angle for text; printed width (with its resolution) and angle for an
// image; the colour of a fill. The form is rebuilt only when another layer
// is selected; otherwise its fields are updated in place, and never the one
// being typed in, so the caret stays where the shopper left it. Each edit is
// an undo step, typing in one field coalesced into one.

import type { Customizer } from './app.js';
import { layerPatchKey, layersOf, normAngle, round4, updateLayer } from './doc.js';
import { clear, h, listen } from './dom.js';
import { fontChoices } from './fonts.js';
import { formatNumber, type Key } from './i18n.js';
import { effectiveDPI, maxScale, warnDPI } from './imagecheck.js';
import type { ImageLayer, Layer, TextLayer, Zone } from './types.js';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Props is the settings form of the selected layer. */
export class Props {
  readonly el: HTMLElement;
  private identity: string | null = null;
  private readonly fields = new Map<string, Field>();
  private readonly notes = new Map<string, HTMLElement>();
  private counter = { n: 0 };

  constructor(private readonly c: Customizer) {
    this.el = h('div', { class: 'lw-props', testid: 'props' });
  }

  /** show builds (or updates) the form for layer index of zone z. */
  show(z: Zone, index: number): void {
    const l = layersOf(this.c.doc, z.id)[index];
    const id = l ? z.id + '/' + index + '/' + l.type : '';
    if (id !== this.identity) {
      this.identity = id;
      this.build(z, index, l);
    }
    this.sync(z, index);
  }

  /** focusFirst puts the keyboard in the form's first field (a new text's text). */
  focusFirst(): void {
    const f = this.el.querySelector<HTMLElement>('textarea, input, select');
    if (f) {
      f.focus();
      if (f instanceof HTMLTextAreaElement) f.select();
    }
  }

  private build(z: Zone, index: number, l: Layer | undefined): void {
    clear(this.el);
    this.fields.clear();
    this.notes.clear();
    const { t } = this.c;
    if (!l) {
      this.el.append(h('p', { class: 'lw-muted', text: t('props.none') }));
      return;
    }
    const title = h('h2', { class: 'lw-subtitle', text: t(('title.' + l.type) as Key) });
    this.el.append(title);
    const set = <L extends Layer>(patch: Partial<L>, field: string): void =>
      this.c.commit(updateLayer<L>(this.c.doc, z.id, index, patch), layerPatchKey(z.id, index, field));
    if (l.type === 'text') this.buildText(z, l, set);
    else if (l.type === 'image') this.buildImage(z, set);
    else this.colourField(z, 'color', t('props.colour'), (color) => set({ color }, 'color'));
    if (l.type !== 'colour') {
      this.number('rotation', t('props.rotation'), { min: 0, max: 359, step: 1, unit: '°' }, (v) => set({ rotation: normAngle(v) }, 'rotation'));
    }
  }

  private buildText(z: Zone, l: TextLayer, set: (p: Partial<TextLayer>, field: string) => void): void {
    const { t } = this.c;
    const max = z.max_chars || 200;
    const area = h('textarea', { id: this.id('text'), class: 'lw-input', rows: 2, maxlength: max, testid: 'text-input', spellcheck: 'true' });
    const count = h('span', { class: 'lw-note', id: this.id('count') });
    area.setAttribute('aria-describedby', count.id);
    listen(area, 'input', () => {
      set({ text: area.value }, 'text');
      if (area.value.trim() === '') this.c.say(t('text.emptyHint'));
    });
    this.fields.set('text', area);
    this.notes.set('count', count);
    this.el.append(h('div', { class: 'lw-field' }, h('label', { for: area.id, text: t('props.text') }), area, count));

    const families = fontChoices(z.fonts, (this.c.product.fonts ?? []).map((f) => f.family));
    if (!families.some((f) => f.toLowerCase() === l.font.toLowerCase())) families.unshift(l.font);
    const select = h('select', { id: this.id('font'), class: 'lw-input', testid: 'font-select' },
      ...families.map((f) => h('option', { value: f, text: f })));
    listen(select, 'change', () => {
      void this.c.fonts.load(select.value);
      set({ font: select.value }, 'font');
    });
    this.fields.set('font', select);
    this.el.append(h('div', { class: 'lw-field' }, h('label', { for: select.id, text: t('props.font') }), select));

    const min = z.min_text_pt || 1;
    this.number('size_pt', t('props.size'), { min, max: 500, step: 0.5, unit: 'pt' }, (v) => {
      if (v < min) return t('props.sizeMin', { min });
      set({ size_pt: v }, 'size_pt');
      return '';
    });
    this.colourField(z, 'color', t('props.colour'), (color) => set({ color }, 'color'));

    const align = h('fieldset', { class: 'lw-field lw-segmented', testid: 'align' }, h('legend', { text: t('props.align') }));
    const name = this.id('align');
    for (const a of ['left', 'center', 'right'] as const) {
      const input = h('input', { type: 'radio', name, value: a, id: name + '-' + a, testid: 'align-' + a, class: 'lw-seg-input' });
      listen(input, 'change', () => input.checked && set({ align: a }, 'align'));
      this.fields.set('align-' + a, input);
      align.append(h('label', { for: input.id, class: 'lw-seg' }, input, h('span', { text: t(('align.' + a) as Key) })));
    }
    this.el.append(align);
  }

  private buildImage(z: Zone, set: (p: Partial<ImageLayer>, field: string) => void): void {
    const { t } = this.c;
    this.number('width_mm', t('props.width'), { min: 2, max: 10000, step: 1, unit: 'mm' }, (v) => {
      const l = this.current(z) as ImageLayer | undefined;
      if (!l || l.type !== 'image') return '';
      const px = this.c.pixels.get(l.asset);
      const crop = l.crop ?? { width: 1, height: 1 };
      if (px && z.min_image_dpi > 0) {
        const limit = Math.floor(l.width_mm * maxScale(px.width * crop.width, px.height * crop.height, l.width_mm, l.height_mm, z.min_image_dpi) * 10) / 10;
        if (v > limit) return t('image.tooWide', { max: formatNumber(limit, this.c.env.locale, 1), dpi: z.min_image_dpi });
      }
      const k = v / l.width_mm;
      const cx = l.x_mm + l.width_mm / 2;
      const cy = l.y_mm + l.height_mm / 2;
      const w = round4(v);
      const hh = round4(l.height_mm * k);
      set({ width_mm: w, height_mm: hh, x_mm: round4(cx - w / 2), y_mm: round4(cy - hh / 2) }, 'width_mm');
      return '';
    });
    const dpi = h('p', { class: 'lw-note', testid: 'image-dpi', 'aria-live': 'polite' });
    this.notes.set('dpi', dpi);
    this.el.append(dpi);
  }

  /** number adds a numeric field; apply returns '' or what is wrong with the value. */
  private number(field: string, label: string, o: { min: number; max: number; step: number; unit: string },
    apply: (v: number) => string | void): void {
    const input = h('input', { type: 'number', id: this.id(field), class: 'lw-input lw-number', min: o.min, max: o.max, step: o.step,
      inputmode: 'decimal', testid: field.replace('_', '-') + '-input' });
    const err = h('span', { class: 'lw-field-error', id: this.id(field + '-err') });
    input.setAttribute('aria-describedby', err.id);
    const run = (final: boolean): void => {
      const v = input.valueAsNumber;
      if (!Number.isFinite(v)) return;
      const problem = apply(v) || '';
      err.textContent = problem;
      input.setAttribute('aria-invalid', String(problem !== ''));
      if (final && problem) this.sync(this.c.zone() as Zone, this.c.selection.get(this.c.active) ?? -1, true);
    };
    listen(input, 'input', () => run(false));
    listen(input, 'change', () => run(true));
    this.fields.set(field, input);
    this.el.append(h('div', { class: 'lw-field' }, h('label', { for: input.id, text: label + ' (' + o.unit + ')' }), input, err));
  }

  /** colourField is the zone's palette as swatches, or a colour input when any colour goes. */
  private colourField(z: Zone, field: string, label: string, apply: (hex: string) => void): void {
    const palette = z.colours ?? [];
    if (palette.length === 0) {
      const input = h('input', { type: 'color', id: this.id(field), class: 'lw-colour-input', testid: 'colour-input' });
      listen(input, 'input', () => apply(input.value.toLowerCase()));
      this.fields.set(field, input);
      this.el.append(h('div', { class: 'lw-field' }, h('label', { for: input.id, text: label }), input));
      return;
    }
    const set = h('fieldset', { class: 'lw-field lw-swatches', testid: 'palette' }, h('legend', { text: label }));
    const name = this.id(field);
    palette.forEach((hex, i) => {
      const input = h('input', { type: 'radio', name, value: hex.toLowerCase(), id: name + '-' + i, class: 'lw-swatch-input',
        testid: 'swatch-' + i, 'aria-label': hex });
      const dot = h('span', { class: 'lw-swatch', 'aria-hidden': 'true' });
      dot.style.backgroundColor = hex;
      listen(input, 'change', () => input.checked && apply(hex.toLowerCase()));
      this.fields.set(field + '-' + i, input);
      set.append(h('label', { for: input.id, class: 'lw-swatch-label', title: hex }, input, dot));
    });
    this.el.append(set);
  }

  private current(z: Zone): Layer | undefined {
    return layersOf(this.c.doc, z.id)[this.c.selection.get(z.id) ?? -1];
  }

  /** sync writes the layer's values into the fields (not the focused one, unless forced). */
  sync(z: Zone, index: number, force = false): void {
    const l = layersOf(this.c.doc, z.id)[index];
    if (!l) return;
    const focused = document.activeElement;
    const put = (name: string, v: string): void => {
      const f = this.fields.get(name);
      if (f && (force || f !== focused) && f.value !== v) f.value = v;
    };
    const check = (name: string, on: boolean): void => {
      const f = this.fields.get(name);
      if (f instanceof HTMLInputElement) f.checked = on;
    };
    const num = (n: number): string => String(Math.round(n * 10) / 10);
    if (l.type !== 'colour') put('rotation', num(l.rotation));
    const colour = l.type === 'colour' ? l.color : l.type === 'text' ? l.color : '';
    if (colour) {
      put('color', colour);
      (z.colours ?? []).forEach((hex, i) => check('color-' + i, hex.toLowerCase() === colour.toLowerCase()));
    }
    if (l.type === 'text') {
      put('text', l.text);
      put('font', l.font);
      put('size_pt', num(l.size_pt));
      for (const a of ['left', 'center', 'right']) check('align-' + a, l.align === a);
      const count = this.notes.get('count');
      if (count) count.textContent = this.c.t('text.count', { n: [...l.text.replace(/\n/g, '')].length, max: z.max_chars || 200 });
    } else if (l.type === 'image') {
      put('width_mm', num(l.width_mm));
      const px = this.c.pixels.get(l.asset);
      const note = this.notes.get('dpi');
      if (note) {
        const crop = l.crop ?? { width: 1, height: 1 };
        const dpi = px ? Math.floor(effectiveDPI(px.width * crop.width, px.height * crop.height, l.width_mm, l.height_mm)) : 0;
        note.textContent = px ? this.c.t(dpi < warnDPI ? 'image.dpiLow' : 'image.dpi', { dpi }) : '';
        note.classList.toggle('lw-warn', px !== undefined && dpi < warnDPI);
      }
    }
  }

  private id(name: string): string {
    this.counter.n++;
    return 'lw-' + name + '-' + this.counter.n;
  }
}
