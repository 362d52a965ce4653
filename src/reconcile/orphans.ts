// An expected link that is not in the target must be a recorded orphan (migration.orphan: its
// other side is missing or excluded), or a link to a record erased on the new platform. Such links are rare, so they are looked up in small batches
// instead of streaming the orphan table: memory stays bounded by the batch.
import type pg from 'pg';
import type { Erasures } from './erasures.ts';

export interface OrphanQuestion {
  /** the link's key (LinkOut.key) and table */
  key: string;
  table: string;
  /** the ids it joins: when it is no orphan, was one of them erased on the new platform? */
  ids: string[];
  answer(found: 'orphan' | 'erased' | 'missing'): void;
}

export class OrphanLookup {
  private queue: OrphanQuestion[] = [];

  constructor(private readonly pool: pg.Pool, private readonly system: string, private readonly entity: string, private readonly erasures: Erasures, private readonly batch = 500) {}

  ask(q: OrphanQuestion): void {
    this.queue.push(q);
  }

  get full(): boolean {
    return this.queue.length >= this.batch;
  }

  async flush(): Promise<void> {
    if (!this.queue.length) return;
    const qs = this.queue;
    this.queue = [];
    const { rows } = await this.pool.query<{ source_key: string; link_table: string }>(
      `SELECT DISTINCT source_key, link_table FROM migration.orphan WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3::text[])`,
      [this.system, this.entity, [...new Set(qs.map((q) => q.key))]],
    );
    const known = new Set(rows.map((r) => `${r.link_table}\u0001${r.source_key}`));
    const rest = qs.filter((q) => !known.has(`${q.table}\u0001${q.key}`));
    const erased = await this.erasures.erased([...new Set(rest.flatMap((q) => q.ids))]);
    for (const q of qs) {
      if (known.has(`${q.table}\u0001${q.key}`)) q.answer('orphan');
      else q.answer(q.ids.some((id) => erased.has(id)) ? 'erased' : 'missing');
    }
  }
}
