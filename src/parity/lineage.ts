// What the parity runner reads from the target database: restricted records, records not
// migrated (quarantined, retention-excluded), and target id → legacy identity through
// migration.lineage (audit entries through origin + legacy_audit_id).
import type pg from 'pg';
import { targetId } from '../core/ids.ts';
import type { TargetRecord } from './metrics.ts';

type Client = pg.Client | pg.PoolClient;

const identityOf = (r: { source_system: string; source_entity: string; source_key: string }) => `${r.source_system}:${r.source_entity}:${r.source_key}`;

/** Identities of restricted people and events (record.person/event.restricted, via lineage). */
export async function readRestricted(c: Client): Promise<Set<string>> {
  const { rows } = await c.query(`
    SELECT l.source_system, l.source_entity, l.source_key
      FROM record.person p JOIN migration.lineage l ON l.target_id = p.id WHERE p.restricted
    UNION ALL
    SELECT l.source_system, l.source_entity, l.source_key
      FROM record.event e JOIN migration.lineage l ON l.target_id = e.id WHERE e.restricted`);
  return new Set(rows.map(identityOf));
}

/**
 * Identities of live legacy records the migration did not load: quarantined (unresolved, no
 * lineage), excluded for retention, and erased on the new platform (an erasure excludes the
 * person's legacy records as `erased`). Legacy-deleted exclusions are not listed: the legacy
 * search never found those either.
 */
export async function readNotMigrated(c: Client): Promise<Set<string>> {
  const { rows } = await c.query(`
    SELECT q.source_system, q.source_entity, q.source_key FROM migration.quarantine q
     WHERE NOT EXISTS (SELECT 1 FROM migration.lineage l
                        WHERE l.source_system = q.source_system AND l.source_entity = q.source_entity AND l.source_key = q.source_key)
    UNION
    SELECT x.source_system, x.source_entity, x.source_key FROM migration.exclusion x
     WHERE x.reason IN ('retention_expired', 'erased')
       AND NOT EXISTS (SELECT 1 FROM migration.lineage l
                        WHERE l.source_system = x.source_system AND l.source_entity = x.source_entity AND l.source_key = x.source_key)`);
  return new Set(rows.map(identityOf));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX = /[0-9A-F]/;
/** The canonical (lower-case) form of a UUID, or null when `id` is not one. Ids from PostgreSQL are canonical: no copy is made. */
function canonicalUuid(id: string): string | null {
  if (id.length !== 36) return null;
  const lower = HEX.test(id) ? id.toLowerCase() : id;
  return UUID.test(lower) ? lower : null;
}
const AUDIT_ENTITY: Record<string, string> = { CRIS: 'AUDIT_TRAIL', CRIMINT: 'audit.json' };

/** `audit:<origin>:<legacy_audit_id>` → legacy identity, or null for another origin. */
export function auditIdentity(id: string): string | null {
  const m = /^audit:([^:]+):(.+)$/.exec(id);
  if (!m || !AUDIT_ENTITY[m[1]!]) return null;
  return `${m[1]}:${AUDIT_ENTITY[m[1]!]}:${m[2]}`;
}

/** The target id a legacy identity is loaded as (UUIDv5; audit entries `audit:<origin>:<id>`). */
export function expectedTargetId(identity: string): string {
  const m = /^(CRIS|CRIMINT):(AUDIT_TRAIL|audit\.json):(.+)$/.exec(identity);
  if (m) return `audit:${m[1]}:${m[3]}`;
  const i = identity.indexOf(':');
  const j = identity.indexOf(':', i + 1);
  return targetId(identity.slice(0, i), identity.slice(i + 1, j), identity.slice(j + 1));
}

/**
 * Maps target ids to legacy identities through migration.lineage, in batches. A bounded cache
 * keeps the first ids seen (20,000 by default: the records most queries share); the answer to
 * one call is held only for that call, so a search returning 50,000 records does not leave them
 * behind (at scale 100,000 a cache refilled and cleared by such searches was ~15 MB of the
 * parity run's peak RSS).
 */
export class IdentityMapper {
  private cache = new Map<string, string>();
  constructor(
    private readonly c: Client,
    /** Entries kept across calls (default 20 000). */
    private readonly maxCache = 20_000,
  ) {}

  async map(ids: string[]): Promise<TargetRecord[]> {
    const out: TargetRecord[] = [];
    const seen = new Set<string>();
    // uuids not in the cache, and the records waiting for them
    const missing: string[] = [];
    const waiting: TargetRecord[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      if (id.startsWith('audit:')) {
        out.push({ identity: auditIdentity(id) ?? `target:${id}`, targetId: id });
        continue;
      }
      const uuid = canonicalUuid(id);
      const cached = uuid === null ? `target:${id}` : this.cache.get(uuid);
      const rec = { identity: cached ?? '', targetId: id };
      out.push(rec);
      if (cached === undefined) {
        missing.push(uuid!);
        waiting.push(rec);
      }
    }
    for (let i = 0; i < missing.length; i += LINEAGE_BATCH) {
      const batch = missing.slice(i, i + LINEAGE_BATCH);
      // one row per asked id, in the order asked (null: no lineage)
      const { rows } = await this.c.query<{ identity: string | null }>(
        `SELECT (SELECT l.source_system || ':' || l.source_entity || ':' || l.source_key
                   FROM migration.lineage l WHERE l.target_id = u.id LIMIT 1) AS identity
           FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n) ORDER BY u.n`,
        [batch],
      );
      if (rows.length !== batch.length) throw new Error(`lineage lookup: ${rows.length} rows for ${batch.length} ids`);
      for (let j = 0; j < batch.length; j++) {
        const identity = rows[j]!.identity ?? `target:${waiting[i + j]!.targetId}`;
        waiting[i + j]!.identity = identity;
        if (this.cache.size < this.maxCache) this.cache.set(batch[j]!, identity);
      }
    }
    return out;
  }
}

/**
 * Target ids looked up in migration.lineage per statement: the widest answers of a parity run
 * (S05 and S14 at scale 100,000: up to ~50,000 records) in one statement, sent at once.
 */
const LINEAGE_BATCH = 50_000;
