// Keys whose record came into the target or left it during a delta (or a re-migration of keys),
// by entity. A later step's record that links to one of them is re-derived (a `touch` change):
// its orphan link may now resolve, or point at nothing. Only the keys of the entities a mapping
// references are looked for in its records (Mapping.references), so a number in a crime report
// that happens to equal a changed nominal's id re-derives nothing.
export class ChangedKeys {
  private readonly byEntity = new Map<string, Set<string>>();

  add(entity: string, key: string): void {
    let keys = this.byEntity.get(entity);
    if (!keys) this.byEntity.set(entity, (keys = new Set()));
    keys.add(key);
  }

  /** The keys the records of a mapping may mention: those of the entities it references (every entity's when it does not say). */
  for(references: readonly string[] | undefined): ReadonlySet<string> {
    const entities = references ?? [...this.byEntity.keys()];
    const sets = entities.map((e) => this.byEntity.get(e)).filter((s): s is Set<string> => Boolean(s?.size));
    if (sets.length <= 1) return sets[0] ?? new Set();
    const all = new Set<string>();
    for (const s of sets) for (const k of s) all.add(k);
    return all;
  }
}
