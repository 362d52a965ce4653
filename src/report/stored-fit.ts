// Compile-time ties between a check's result type and the schema its stored form is parsed with
// (the `stored.ts` of each check; the ties themselves are in stored-ties.ts), so tsc fails when the producer drops, renames or retypes a field
// the schema requires: `type _ = Fits<ProducerResult, StoredForm<typeof Schema>>`, or, where the
// producer holds Dates, a never-called function from `JsonOf<ProducerResult>` to `z.input<typeof Schema>`.
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

/**
 * What JSON makes of a value of type T, as a plain type literal: Dates become strings, functions
 * vanish, interfaces become object literals (so a producer's interface can be checked against a
 * loose schema's input, whose `[k: string]: unknown` an interface does not satisfy).
 */
export type JsonOf<T> = T extends Date ? string
  : T extends (...args: never[]) => unknown ? never
    : T extends readonly (infer U)[] ? Array<JsonOf<U>>
      : T extends object ? { [K in keyof T]: JsonOf<T[K]> }
        : T;
