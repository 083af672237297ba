// Undo and redo over whole documents. Documents are immutable values (every
// edit makes a new one), so a history entry is just the previous value: no
// inverse operations to get wrong, and undo restores exactly what was shown.

/** History keeps the present value and the ones before and after it. */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  private lastKey = '';
  private lastAt = 0;
  private base: T | null = null;

  /**
   * @param present the starting value
   * @param limit how many undo steps are kept
   * @param now the clock, for coalescing typing into one step
   */
  constructor(
    public present: T,
    private readonly limit = 100,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * push makes next the present value, one undo step after the current one.
   * Successive pushes with the same non-empty key less than a second apart
   * (typing in one text field) make a single step.
   */
  push(next: T, key = ''): void {
    if (next === this.present) return;
    const t = this.now();
    const coalesce = key !== '' && key === this.lastKey && t - this.lastAt < 1000 && this.past.length > 0;
    this.lastKey = key;
    this.lastAt = t;
    if (!coalesce) {
      this.past.push(this.present);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.present = next;
    this.future = [];
  }

  /** begin starts a gesture (a drag): live() changes go in one step at end(). */
  begin(): void {
    this.base = this.present;
  }

  /** live shows next without an undo step (during a gesture). */
  live(next: T): void {
    if (this.base === null) this.base = this.present;
    this.present = next;
  }

  /** end closes a gesture: one undo step if it changed anything. */
  end(): void {
    const base = this.base;
    this.base = null;
    if (base === null || base === this.present) return;
    const next = this.present;
    this.present = base;
    this.lastKey = '';
    this.push(next);
  }

  /** reset starts over with value (a reopened design): nothing to undo. */
  reset(value: T): void {
    this.present = value;
    this.past = [];
    this.future = [];
    this.base = null;
    this.lastKey = '';
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** undo steps back; it reports whether there was a step. */
  undo(): boolean {
    const prev = this.past.pop();
    if (prev === undefined) return false;
    this.future.push(this.present);
    this.present = prev;
    this.lastKey = '';
    return true;
  }

  /** redo steps forward again; it reports whether there was a step. */
  redo(): boolean {
    const next = this.future.pop();
    if (next === undefined) return false;
    this.past.push(this.present);
    this.present = next;
    this.lastKey = '';
    return true;
  }
}
