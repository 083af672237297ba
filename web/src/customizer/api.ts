// The client of Luneo's shopper API (/api/embed/…). Every call carries the
// embed token as bearer, read from memory at the moment of the call (the
// handshake renews it in place), and the shopper key. Errors come back as
// ApiError with the problem+json detail, the per-field messages and, for
// 429, how long to wait. A call refused because the token ran out (a tab
// asleep past its renewal) waits for the next token once and is retried.

import type {
  ARAnswer,
  AssetAnswer,
  DesignAnswer,
  DesignDocument,
  DesignSummary,
  ProductAnswer,
  Quote,
} from './types.js';

/** ApiError is a refused or failed call. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
    readonly retryAfter = 0,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Auth is where the client reads its credentials. */
export interface Auth {
  token(): string;
  shopper(): string;
  /** expired says the token's lifetime is over (so a 401/403 may be that). */
  expired(): boolean;
  /** renewed asks for a new token and resolves once it is in place. */
  renewed(): Promise<void>;
}

/** A PreviewImage is a zone's server drawing with the warnings sent along. */
export interface PreviewImage {
  blob: Blob;
  warnings: string[];
}

/** Api calls the shopper routes. */
export class Api {
  constructor(
    private readonly auth: Auth,
    private readonly base = '/api/embed',
  ) {}

  private async send(method: string, path: string, body?: BodyInit, type?: string, signal?: AbortSignal, retried = false): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: 'Bearer ' + this.auth.token(),
      'X-Luneo-Shopper': this.auth.shopper(),
      Accept: 'application/json',
    };
    if (type) headers['Content-Type'] = type;
    const init: RequestInit = { method, headers, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) init.body = body;
    if (signal) init.signal = signal;
    const r = await fetch(this.base + path, init);
    if ((r.status === 401 || r.status === 403) && !retried && this.auth.expired()) {
      await this.auth.renewed();
      return this.send(method, path, body, type, signal, true);
    }
    if (!r.ok) throw await problem(r);
    return r;
  }

  private async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const r = await this.send(method, path, body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? undefined : 'application/json', signal);
    return (await r.json()) as T;
  }

  /** product loads the product, with the design a link opens (design, "de_…") in the same answer. */
  product(design = ''): Promise<ProductAnswer> {
    return this.json('GET', '/product' + (design ? '?design=' + encodeURIComponent(design) : ''));
  }

  /** font fetches a font file, for new FontFace(family, bytes). */
  async font(family: string, style = ''): Promise<ArrayBuffer> {
    // No style: the file the server prints the family with (its regular one, else its first).
    const r = await this.send('GET', '/fonts/' + encodeURIComponent(family) + (style ? '?style=' + encodeURIComponent(style) : ''));
    return r.arrayBuffer();
  }

  /** upload sends an image's bytes as they are, typed by its magic bytes. */
  upload(file: Blob, type: string): Promise<AssetAnswer> {
    return this.send('POST', '/assets', file, type).then((r) => r.json() as Promise<AssetAnswer>);
  }

  /** preview asks for a zone's drawing as it will print (size: longest side). */
  async preview(doc: DesignDocument, zoneId: string, size: number, signal: AbortSignal): Promise<PreviewImage> {
    const r = await this.send('POST', '/preview', JSON.stringify({ document: doc, zone_id: zoneId, size }), 'application/json', signal);
    return { blob: await r.blob(), warnings: warningList(r.headers.get('X-Luneo-Warnings')) };
  }

  quote(doc: DesignDocument, signal?: AbortSignal): Promise<Quote> {
    return this.json('POST', '/quote', { document: doc }, signal);
  }

  create(doc: DesignDocument, name: string): Promise<DesignAnswer> {
    return this.json('POST', '/designs', name ? { name, document: doc } : { document: doc });
  }

  version(id: string, doc: DesignDocument, link: string): Promise<DesignAnswer> {
    return this.json('POST', '/designs/' + encodeURIComponent(id) + '/versions', link ? { document: doc, link } : { document: doc });
  }

  design(id: string): Promise<DesignAnswer> {
    return this.json('GET', '/designs/' + encodeURIComponent(id));
  }

  async mine(): Promise<DesignSummary[]> {
    const out = await this.json<{ designs: DesignSummary[] | null }>('GET', '/designs?product=current');
    return out.designs ?? [];
  }

  ar(id: string): Promise<ARAnswer> {
    return this.json('GET', '/designs/' + encodeURIComponent(id) + '/ar');
  }
}

/** problem reads an error answer: problem+json when it is one. */
async function problem(r: Response): Promise<ApiError> {
  const retry = Number(r.headers.get('Retry-After')) || 0;
  let message = 'HTTP ' + r.status;
  let fields: Record<string, string> = {};
  try {
    const p = (await r.json()) as { detail?: string; title?: string; errors?: Record<string, string> };
    message = p.detail || p.title || message;
    if (p.errors && typeof p.errors === 'object') fields = p.errors;
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(message, r.status, fields, retry);
}

/** warningList reads the X-Luneo-Warnings header: a JSON array of strings or {message}. */
export function warningList(header: string | null): string[] {
  if (!header) return [];
  try {
    const v: unknown = JSON.parse(header);
    if (!Array.isArray(v)) return [];
    return v
      .map((w) => (typeof w === 'string' ? w : w && typeof w === 'object' && 'message' in w ? String(w.message) : ''))
      .filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** errText is what an error says to a shopper. */
export function errText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
