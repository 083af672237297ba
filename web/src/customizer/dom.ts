// A few DOM helpers, so the customizer builds its markup in code without
// innerHTML (no string of HTML ever meets shopper input) and without inline
// styles (the frame's CSP has no 'unsafe-inline': layout is CSS classes in
// widget.css; only computed values such as a swatch colour are set through
// the CSSOM, which the CSP allows).

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/**
 * h makes an element. Attributes: "class", "text" (textContent), "on…"
 * are not supported (use listen), booleans add or omit the attribute,
 * null/undefined omit it; "testid" is a shorthand for data-testid.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'testid') el.setAttribute('data-testid', String(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

/** append adds children, skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
}

/** clear removes every child of el. */
export function clear(el: Element): void {
  el.replaceChildren();
}

/** listen adds an event listener and returns a function that removes it. */
export function listen<E extends Event = Event>(target: EventTarget, type: string, fn: (e: E) => void, opts?: AddEventListenerOptions): () => void {
  const f = fn as EventListener;
  target.addEventListener(type, f, opts);
  return () => target.removeEventListener(type, f, opts);
}

/** uid makes an id unique within the page, for label/aria links. */
export function uid(prefix: string, counter: { n: number }): string {
  counter.n++;
  return 'lw-' + prefix + '-' + counter.n;
}

/** debounce runs fn once calls have stopped for ms. */
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void; flush(): void } {
  let timer = 0;
  const d = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
  d.cancel = (): void => window.clearTimeout(timer);
  d.flush = (): void => {
    window.clearTimeout(timer);
    fn();
  };
  return d;
}

/** isTyping says whether keyboard focus is in a field that edits text itself. */
export function isTyping(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'color', 'file', 'range', 'submit'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}
