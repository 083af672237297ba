// The shopper key: who this browser is to the brand, so the same shopper
// finds their designs again. It is kept in localStorage under
// luneo.shopper.<brand>; a browser that partitions or blocks storage in
// third-party frames throws or forgets, and then the key lives in memory
// for this visit only. (The embed token is never stored: see embed-frame.ts.)

/** ShopperKey holds the key of one brand's shopper. */
export class ShopperKey {
  private value = '';
  private readonly name: string;

  constructor(brand: string) {
    this.name = 'luneo.shopper.' + brand;
    try {
      this.value = window.localStorage.getItem(this.name) || '';
    } catch {
      this.value = '';
    }
  }

  get(): string {
    return this.value;
  }

  /** set keeps the key the session route answered with. */
  set(key: string): void {
    if (!key || key === this.value) return;
    this.value = key;
    try {
      window.localStorage.setItem(this.name, key);
    } catch {
      // storage refused: memory only
    }
  }
}
