// Renders of a design as the JSON API and the dashboard's event stream
// send them (internal/render.Render), and the formatting the design page
// shares with its server-side template (internal/web/dashboard).

/** A file a render made. */
export interface RenderFile {
  role: string;
  zone_id?: string;
  material?: string;
  view?: string;
  width?: number;
  height?: number;
  dpi?: number;
  size: number;
  reused?: boolean;
  url?: string;
}

/** One render of a design version. */
export interface Render {
  id: string;
  version: number;
  kind: string;
  status: string;
  progress: number;
  error?: string;
  files: RenderFile[] | null;
  attempts: number;
  created_at: string;
  started_at?: string;
  finished_at?: string;
}

/**
 * currentFiles returns the files of the newest completed render of each
 * kind (renders come newest first), as the page's files table lists them.
 */
export function currentFiles(renders: Render[]): { file: RenderFile; version: number }[] {
  const seen = new Set<string>();
  const out: { file: RenderFile; version: number }[] = [];
  for (const r of renders) {
    if (r.status !== 'completed' || seen.has(r.kind)) continue;
    seen.add(r.kind);
    for (const file of r.files ?? []) out.push({ file, version: r.version });
  }
  return out;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** stamp writes an RFC 3339 time as "2026-12-05 12:40:22 UTC" ('' for none). */
export function stamp(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/** humanSize writes a size in bytes as the dashboard does ("23.5 kB"). */
export function humanSize(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}
