// Server previews: once a zone has stopped changing for 150 ms, the
// customizer asks Luneo to draw it exactly as it will print (POST
// /api/embed/preview) and shows that drawing instead of its own. A newer
// change aborts the request in flight (its answer would be stale). Answers
// are kept per zone by what the zone looked like, so undo shows the server's
// drawing at once. Requests are spaced to stay under the route's rate limit
// (240 a minute per session), and a 429 pauses them for its Retry-After.

import { ApiError, type Api } from './api.js';
import type { DesignDocument } from './types.js';

/** A Result is one server drawing of a zone. */
export interface Result {
  key: string;
  bitmap: ImageBitmap;
  warnings: string[];
}

export interface PreviewOptions {
  /** size is the longest side, in pixels, to ask for a zone. */
  size(zoneId: string): number;
  /** key identifies what a zone looks like in a document. */
  key(doc: DesignDocument, zoneId: string): string;
  onResult(zoneId: string, r: Result): void;
  /** onError reports a refused drawing of the zone as it looked (key). */
  onError(zoneId: string, err: ApiError, key: string): void;
  /** onBusy says whether a preview is being drawn (for aria-busy). */
  onBusy(busy: boolean): void;
  delay?: number;
}

const keep = 8; // drawings kept per zone
const gapMS = 260; // at most ~230 requests a minute

/** Previews schedules, aborts and caches server previews. */
export class Previews {
  private readonly timers = new Map<string, number>();
  private readonly inflight = new Map<string, AbortController>();
  private readonly cache = new Map<string, Result[]>();
  /** wanted is the look (key) of the drawing scheduled or running per zone. */
  private readonly wanted = new Map<string, string>();
  private lastStart = 0;
  private pausedUntil = 0;

  constructor(
    private readonly api: Api,
    private readonly o: PreviewOptions,
  ) {}

  /** get returns the cached drawing of a zone as it looks in doc, if any. */
  get(doc: DesignDocument, zoneId: string): Result | null {
    const key = this.o.key(doc, zoneId);
    return this.cache.get(zoneId)?.find((r) => r.key === key) ?? null;
  }

  /** schedule asks for a zone's drawing once it has been still for the delay. */
  schedule(doc: DesignDocument, zoneId: string, delay = this.o.delay ?? 150): void {
    const key = this.o.key(doc, zoneId);
    // Another zone changed: this zone's drawing on its way is still right.
    if (this.wanted.get(zoneId) === key && delay > 0) return;
    this.cancel(zoneId);
    if (this.get(doc, zoneId)) return;
    this.wanted.set(zoneId, key);
    const wait = Math.max(delay, this.lastStart + gapMS - Date.now(), this.pausedUntil - Date.now());
    this.timers.set(zoneId, window.setTimeout(() => void this.run(doc, zoneId, key), wait));
  }

  private async run(doc: DesignDocument, zoneId: string, key: string): Promise<void> {
    this.inflight.get(zoneId)?.abort();
    const ctl = new AbortController();
    this.inflight.set(zoneId, ctl);
    this.lastStart = Date.now();
    this.o.onBusy(true);
    try {
      const img = await this.api.preview(doc, zoneId, this.o.size(zoneId), ctl.signal);
      const bitmap = await createImageBitmap(img.blob);
      if (ctl.signal.aborted) return;
      const r: Result = { key, bitmap, warnings: img.warnings };
      const list = [r, ...(this.cache.get(zoneId) ?? []).filter((x) => x.key !== key)];
      list.splice(keep).forEach((old) => old.bitmap.close());
      this.cache.set(zoneId, list);
      this.o.onResult(zoneId, r);
    } catch (err) {
      if (ctl.signal.aborted) return;
      const e = err instanceof ApiError ? err : new ApiError(String((err as Error)?.message || err), 0);
      if (e.status === 429) {
        this.pausedUntil = Date.now() + Math.max(1, e.retryAfter) * 1000;
        this.schedule(doc, zoneId, 0);
      }
      this.o.onError(zoneId, e, key);
    } finally {
      if (this.inflight.get(zoneId) === ctl) {
        this.inflight.delete(zoneId);
        if (this.wanted.get(zoneId) === key) this.wanted.delete(zoneId);
        if (this.inflight.size === 0) this.o.onBusy(false);
      }
    }
  }

  /** cancel stops what is scheduled or running for a zone (a gesture started, or it is not needed). */
  cancel(zoneId: string): void {
    window.clearTimeout(this.timers.get(zoneId));
    this.inflight.get(zoneId)?.abort();
    this.wanted.delete(zoneId);
  }
}
