// Data of the zone editor: what the page gives it (materials and zones as
// JSON in data attributes), what it sends (a JSON body built from a
// template) and the UV arithmetic, kept apart from the DOM code.
//
// UV space is glTF's: (0, 0) is the top-left corner of the texture image and
// (1, 1) the bottom-right, so u maps to x and v to y without flipping.

/** A material of the model, as the page lists it in data-materials. */
export interface Material {
  name: string;
  /** URL of the base colour texture image; empty when the material has none. */
  texture_url?: string | null;
  /** Size of that image in pixels (used before the image has loaded). */
  width?: number;
  height?: number;
}

/** A UV rectangle, 0 ≤ u0 < u1 ≤ 1 and 0 ≤ v0 < v1 ≤ 1. */
export interface UVRect {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

/** A print zone: a named rectangle on one material's texture. */
export interface Zone extends UVRect {
  id?: string;
  name: string;
  material: string;
}

/** The values a body template can refer to. */
export type BodyValues = { name: string; material: string } & UVRect;

/**
 * defaultBodyTemplate is the JSON body POSTed to data-endpoint when the page
 * sets no data-body-template:
 *
 *   {"name": "Front", "material": "Body", "uv": {"u0": 0.1, "v0": 0.2, "u1": 0.5, "v1": 0.6}}
 *
 * In a template, a string value that is exactly "$name", "$material",
 * "$u0", "$v0", "$u1" or "$v1" is replaced by that value (the UV values as
 * numbers); everything else is sent as written, so a page can add constant
 * fields or nest the values differently.
 */
export const defaultBodyTemplate = {
  name: '$name',
  material: '$material',
  uv: { u0: '$u0', v0: '$v0', u1: '$u1', v1: '$v1' },
};

/** fillTemplate returns a copy of template with its placeholders replaced. */
export function fillTemplate(template: unknown, values: BodyValues): unknown {
  if (typeof template === 'string' && template.startsWith('$')) {
    const key = template.slice(1);
    if (Object.prototype.hasOwnProperty.call(values, key)) {
      return values[key as keyof BodyValues];
    }
    return template;
  }
  if (Array.isArray(template)) {
    return template.map((v) => fillTemplate(v, values));
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) {
      out[k] = fillTemplate(v, values);
    }
    return out;
  }
  return template;
}

/** clamp01 bounds x to [0, 1]. */
export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** roundUV keeps 4 decimals: a tenth of a pixel on a 1024² texture. */
export function roundUV(x: number): number {
  return Math.round(clamp01(x) * 10000) / 10000;
}

/** rectFrom returns the rectangle spanned by two corners, in any order. */
export function rectFrom(a: { u: number; v: number }, b: { u: number; v: number }): UVRect {
  return {
    u0: roundUV(Math.min(a.u, b.u)),
    v0: roundUV(Math.min(a.v, b.v)),
    u1: roundUV(Math.max(a.u, b.u)),
    v1: roundUV(Math.max(a.v, b.v)),
  };
}

/** rectProblem says what is wrong with r, or returns '' when it is valid. */
export function rectProblem(r: UVRect): string {
  const all = [r.u0, r.v0, r.u1, r.v1];
  if (all.some((x) => !Number.isFinite(x) || x < 0 || x > 1)) {
    return 'UV coordinates must be between 0 and 1.';
  }
  if (r.u0 >= r.u1 || r.v0 >= r.v1) {
    return 'The rectangle is empty: u0 must be less than u1 and v0 less than v1.';
  }
  return '';
}

/** parseJSONAttr reads a data attribute holding JSON, or returns fallback. */
export function parseJSONAttr(el: HTMLElement, name: string, fallback: unknown): unknown {
  const raw = el.getAttribute(name);
  if (raw === null || raw.trim() === '') {
    return fallback;
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

function num(x: unknown): number {
  return typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * toZone accepts a zone as the page or the API gives it and returns it, or
 * null when it is not a usable zone. The UV values may be at the top level,
 * under "uv" or under "uv_rect" (where null means the whole texture), and
 * the zone itself may be wrapped as {"zone": {…}}, as an API answers.
 */
export function toZone(x: unknown): Zone | null {
  if (!isObject(x)) {
    return null;
  }
  const o = isObject(x.zone) ? x.zone : x;
  let uv: Record<string, unknown> = o;
  if (isObject(o.uv)) {
    uv = o.uv;
  } else if (isObject(o.uv_rect)) {
    uv = o.uv_rect;
  } else if ('uv_rect' in o && o.uv_rect === null) {
    uv = { u0: 0, v0: 0, u1: 1, v1: 1 };
  }
  const z: Zone = {
    name: typeof o.name === 'string' ? o.name : '',
    material: typeof o.material === 'string' ? o.material : '',
    u0: num(uv.u0),
    v0: num(uv.v0),
    u1: num(uv.u1),
    v1: num(uv.v1),
  };
  if (typeof o.id === 'string' || typeof o.id === 'number') {
    z.id = String(o.id);
  }
  return rectProblem(z) === '' ? z : null;
}

/** toMaterials validates the data-materials list. */
export function toMaterials(x: unknown): Material[] {
  if (!Array.isArray(x)) {
    throw new Error('data-materials must be a JSON array');
  }
  return x
    .filter((m): m is Record<string, unknown> => m !== null && typeof m === 'object')
    .map((m) => ({
      name: typeof m.name === 'string' ? m.name : '',
      texture_url: typeof m.texture_url === 'string' ? m.texture_url : null,
      width: typeof m.width === 'number' ? m.width : 0,
      height: typeof m.height === 'number' ? m.height : 0,
    }));
}

/**
 * problemMessage turns an error response (application/problem+json, or
 * anything else) into one sentence for the user.
 */
export function problemMessage(status: number, body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const p = body as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof p.detail === 'string' && p.detail !== '') {
      parts.push(p.detail);
    } else if (typeof p.title === 'string' && p.title !== '') {
      parts.push(p.title);
    }
    if (p.errors !== null && typeof p.errors === 'object') {
      for (const [field, msg] of Object.entries(p.errors as Record<string, unknown>)) {
        parts.push(`${field}: ${String(msg)}`);
      }
    }
    if (parts.length > 0) {
      return parts.join(' · ');
    }
  }
  return `The server answered ${status}.`;
}
