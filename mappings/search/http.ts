// A target search behind an HTTP API (the vendor's search), so the parity check can be pointed
// at it instead of the SQL adapter.
//
//   const search = createHttpSearch({
//     templates: {
//       S02: 'https://search.example/api/S02?params={params}',        // whole params, URL-encoded JSON
//       S07: 'https://search.example/api/postcode/{postcode}',         // one param, URL-encoded
//     },
//     headers: { authorization: `Bearer ${token}` },
//     timeoutMs: 10_000,
//   });
//
// Request: GET the capability's template with its placeholders filled:
// - `{params}` → the params object as JSON, URL-encoded;
// - `{name}`   → that param: a string URL-encoded as it is, a number or boolean as text, an array
//                or object as URL-encoded JSON; a param that is absent → empty.
// Params are sent as the caller gives them (the parity runner passes the catalog-validated form).
// Response (2xx, JSON): `{"ids": ["<id>", …]}` or a bare array `["<id>", …]`; ids are target ids
// as TargetSearchAdapter defines them (record uuids, `audit:<origin>:<legacy_audit_id>`); numbers
// are accepted and turned into text. Duplicates are dropped (results are sets).
// Errors: no template for the capability, or HTTP 501 Not Implemented → NotSupportedError (the
// capability is LOST); any other status, a body that is not such JSON, a timeout (default 30 s) or
// an unreachable server → HttpSearchError naming the capability, the URL without its query string
// (the query holds personal data), and what to check.
import { NotSupportedError, type CapabilityId, type TargetSearchAdapter } from '../../src/parity/types.ts';

export interface HttpSearchOptions {
  /** URL template per capability; a capability without one is not supported. */
  templates: Partial<Record<CapabilityId, string>>;
  /** Extra request headers (authentication). */
  headers?: Record<string, string>;
  /** Per-request timeout in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Adapter name shown in the parity report (default `http`). */
  name?: string;
}

export class HttpSearchError extends Error {
  override name = 'HttpSearchError';
  constructor(
    message: string,
    readonly capability: CapabilityId,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function encodeParam(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return encodeURIComponent(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return encodeURIComponent(String(v));
  return encodeURIComponent(JSON.stringify(v));
}

/** The request URL of one query: the template with its placeholders filled. */
export function fillTemplate(template: string, params: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, name: string) =>
    name === 'params' ? encodeURIComponent(JSON.stringify(params)) : encodeParam(Object.hasOwn(params, name) ? params[name] : undefined),
  );
}

/** The URL as it may appear in an error message: no query string, no credentials. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function idsOf(body: unknown): string[] | null {
  const list = Array.isArray(body) ? body : body !== null && typeof body === 'object' && Array.isArray((body as { ids?: unknown }).ids) ? (body as { ids: unknown[] }).ids : null;
  if (list === null) return null;
  const out = new Set<string>();
  for (const v of list) {
    if (typeof v === 'string') out.add(v);
    else if (typeof v === 'number' && Number.isFinite(v)) out.add(String(v));
    else return null;
  }
  return [...out];
}

export function createHttpSearch(opts: HttpSearchOptions): TargetSearchAdapter {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const name = opts.name ?? 'http';
  return {
    name,
    async search(capability: CapabilityId, params: Record<string, unknown>): Promise<string[]> {
      const template = opts.templates[capability];
      if (template === undefined || template === '') {
        throw new NotSupportedError(`${capability} has no URL template in target search ${name}`);
      }
      const url = fillTemplate(template, params ?? {});
      const where = `${capability} GET ${redact(url)}`;
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'GET',
          headers: { accept: 'application/json', ...(opts.headers ?? {}) },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          throw new HttpSearchError(`${where}: no answer within ${timeoutMs} ms (raise timeoutMs or check the search service)`, capability, null, { cause: err });
        }
        const why = e.cause?.code ?? e.cause?.message ?? e.message;
        throw new HttpSearchError(`${where}: cannot reach the search service (${why}); check the URL template and that the service is up`, capability, null, { cause: err });
      }
      const text = await res.text().catch(() => '');
      if (res.status === 501) throw new NotSupportedError(`${where}: the search service does not implement ${capability} (HTTP 501)`);
      if (!res.ok) {
        const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
        throw new HttpSearchError(`${where}: HTTP ${res.status} ${res.statusText}${snippet ? ` — ${snippet}` : ''}`, capability, res.status);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new HttpSearchError(`${where}: the answer is not JSON (expected {"ids": [...]} or an array of ids)`, capability, res.status, { cause: err });
      }
      const ids = idsOf(body);
      if (ids === null) throw new HttpSearchError(`${where}: expected {"ids": [...]} or an array of id strings`, capability, res.status);
      return ids;
    },
    async close(): Promise<void> {},
  };
}
