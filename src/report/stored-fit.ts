// A compile-time tie between a check's result type and the schema its stored form is parsed with
// (the `stored.ts` of each check): `type _ = Fits<ProducerResult, StoredForm<typeof Schema>>`
// does not compile when the producer drops, renames or retypes a field the schema requires.
import type { z } from 'zod';

/**
 * A type without the `[key: string]: unknown` that `z.looseObject` adds (an interface is not
 * assignable to an index signature); records of known values (`Record<string, number>`) keep theirs.
 */
export type KnownFields<T> = T extends readonly (infer U)[]
  ? KnownFields<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: KnownFields<T[K]> }
    : T;

/** What a schema accepts, as a producer's type must fit it. */
export type StoredForm<S extends z.ZodType> = KnownFields<z.input<S>>;

/** Compiles only when the producer's result P fits the stored form S. */
export type Fits<P extends S, S> = P;
