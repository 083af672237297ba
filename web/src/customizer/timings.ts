// How long the customizer takes to show the product, measured from the
// iframe's start (performance.timeOrigin: its navigation) and exposed for
// the browser tests and for a brand that wants to look: as
// window.__luneoTimings and, for tests that read only the DOM (an isolated
// world), as JSON in the root element's data-timings attribute.

/** Timing names, in the order they happen. */
export type Mark = 'ready' | 'product' | 'modelLoad' | 'firstFrame' | 'firstTexture';

declare global {
  interface Window {
    __luneoTimings?: Partial<Record<Mark, number>>;
  }
}

/** Timings records each mark once. */
export class Timings {
  private readonly marks: Partial<Record<Mark, number>> = {};

  constructor(private readonly el: HTMLElement | null) {
    window.__luneoTimings = this.marks;
  }

  /** mark records name now (ms since the iframe started), the first time only. */
  mark(name: Mark): void {
    if (this.marks[name] !== undefined) return;
    this.marks[name] = Math.round(performance.now());
    if (this.el) this.el.dataset.timings = JSON.stringify(this.marks);
  }
}
