// Fonts for the zone canvas's instant drawing: the very files the server
// prints with (GET /api/embed/fonts/{family}, brand or bundled), loaded with
// new FontFace(name, bytes). Loading from bytes needs no font-src in the CSP,
// and each family is registered under a name of its own ("Luneo <family>")
// so that a system font of the same name can never stand in for it: what
// the canvas draws is what the compositor will draw.

import type { Api } from './api.js';

/** Fonts loads each family once and says which are ready. */
export class Fonts {
  private readonly loading = new Map<string, Promise<boolean>>();
  private readonly ready = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly onReady: (family: string) => void,
  ) {}

  /** cssFamily is the name a canvas font string uses for family. */
  static cssFamily(family: string): string {
    return '"Luneo ' + family.replace(/["\\]/g, '') + '", sans-serif';
  }

  /** isReady says whether family can be drawn with its own glyphs now. */
  isReady(family: string): boolean {
    return this.ready.has(family.toLowerCase());
  }

  /** load fetches and registers family (once); false when it failed. */
  load(family: string): Promise<boolean> {
    const key = family.toLowerCase();
    let p = this.loading.get(key);
    if (!p) {
      p = this.fetch(family).then(
        () => {
          this.ready.add(key);
          this.onReady(family);
          return true;
        },
        () => false,
      );
      this.loading.set(key, p);
    }
    return p;
  }

  private async fetch(family: string): Promise<void> {
    const bytes = await this.api.font(family);
    const face = new FontFace('Luneo ' + family.replace(/["\\]/g, ''), bytes);
    await face.load();
    document.fonts.add(face);
  }
}

/**
 * fontChoices are the families a zone offers: the zone's allowed fonts, in
 * the zone's order (the brand's preference), that the brand actually has
 * (case-insensitive, in the product's spelling); or every available family
 * when the zone allows all.
 */
export function fontChoices(allowed: string[] | null, available: string[]): string[] {
  if (!allowed || allowed.length === 0) return available.slice();
  const have = new Map(available.map((f) => [f.toLowerCase(), f]));
  const out: string[] = [];
  for (const f of allowed) {
    const name = have.get(f.toLowerCase());
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}
