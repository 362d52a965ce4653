// What a stored result may hold: counts, capabilities, field names and stable references, never a
// value. Parity examples keep the kind of query and a keyed hash of its parameters instead of the
// parameters, and the record's lineage key instead of its description; reconciliation examples
// keep the key and the field, not the expected and stored values. Everything else a check stores
// is counts, keys and names already. The engineers' report (`cutover report --personal-data`)
// resolves the references when someone with a reason asks.
import type { ResultKind } from './kinds.ts';
import { keyedRef, queryKind } from './refs.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A query as the board sees it: capability, kind, origin, note, and a keyed hash of the parameters. */
export function safeQuery(q: unknown): Obj {
  const o = isObj(q) ? q : {};
  const params = 'params' in o ? o.params : q;
  return {
    ...(typeof o.capability === 'string' ? { capability: o.capability } : {}),
    queryKind: queryKind(params),
    paramsRef: keyedRef(params ?? null),
    ...(typeof o.origin === 'string' ? { origin: o.origin } : {}),
    ...(typeof o.note === 'string' ? { note: o.note } : {}),
  };
}

/** A message with every quoted part and every parameter value blanked (`got "Smith"` → `got "…"`). */
export function scrubMessage(message: unknown, params?: unknown): string {
  let s = typeof message === 'string' ? message : String(message ?? '');
  if (isObj(params)) for (const v of Object.values(params)) if (typeof v === 'string' && v.length > 1) s = s.split(v).join('…');
  return s.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/(?<![\p{L}\p{N}])'(?:[^'\\]|\\.)*'/gu, "'…'");
}

/** The board-safe query of an example or error: made from its `query`, or kept as it is when it is board-safe already (a carried result is stored again). */
function safeOf(x: Obj): Obj {
  if ('query' in x) return safeQuery(x.query);
  const keep = ['capability', 'queryKind', 'paramsRef', 'origin', 'note'] as const;
  return Object.fromEntries(keep.filter((k) => typeof x[k] === 'string').map((k) => [k, x[k]]));
}

function parityCapability(c: unknown): unknown {
  if (!isObj(c)) return c;
  return {
    ...c,
    examples: arr(c.examples).map((x) => (isObj(x) ? {
      kind: x.kind, ...safeOf(x), identity: x.identity, ...(typeof x.targetId === 'string' ? { targetId: x.targetId } : {}),
    } : null)),
    notMigratedExamples: arr(c.notMigratedExamples).map((x) => (isObj(x) ? { identity: x.identity } : null)),
    errors: arr(c.errors).map((e) => (isObj(e) ? { ...safeOf(e), message: scrubMessage(e.message, isObj(e.query) ? e.query.params : undefined) } : null)),
  };
}

function parity(r: Obj): Obj {
  const w = isObj(r.workload) ? r.workload : null;
  return {
    ...r,
    capabilities: arr(r.capabilities).map(parityCapability),
    ...(w ? { workload: { ...w, invalid: arr(w.invalid).map((i) => (isObj(i) ? { origin: i.origin, source: i.source, message: scrubMessage(i.message) } : null)) } } : {}),
  };
}

/** Field differences: the key and the field; the values are in the source and the target. */
const fieldsSafe = (fields: unknown) => arr(fields).map((f) => (isObj(f) ? { ...f, examples: arr(f.examples).map((x) => (isObj(x) ? { key: x.key } : null)) } : f));
/** Column profiles: which statistics differ; rows, nulls, distinct and lengths kept, min and max (values) left out. */
const profileSafe = (p: unknown) => (isObj(p) ? Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'min' && k !== 'max')) : p);

function reconcile(r: Obj): Obj {
  return {
    ...r,
    entities: arr(r.entities).map((e) => (isObj(e) ? {
      ...e,
      tables: arr(e.tables).map((t) => (isObj(t) ? {
        ...t, fields: fieldsSafe(t.fields),
        profiles: arr(t.profiles).map((p) => (isObj(p) ? { ...p, expected: profileSafe(p.expected), actual: profileSafe(p.actual) } : p)),
      } : t)),
    } : e)),
    links: arr(r.links).map((l) => (isObj(l) ? { ...l, fields: fieldsSafe(l.fields) } : l)),
    problems: arr(r.problems).map((p) => scrubMessage(p)),
  };
}

/** The result as it may be stored and shown to the board. */
export function boardSafe<T>(kind: ResultKind, result: T): T {
  if (!isObj(result)) return result;
  if (kind === 'parity') return parity(result) as T;
  if (kind === 'reconcile') return reconcile(result) as T;
  return result;
}
