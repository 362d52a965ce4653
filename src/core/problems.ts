// Problems are data: a per-record failure is a value, collected and counted, never thrown.
export interface Problem {
  code: string;
  field: string | null;
  sourceKey: string;
  message: string;
}

/** A fatal error with context and advice: what went wrong and what to do next. */
export class CutoverError extends Error {
  constructor(
    message: string,
    readonly advice?: string,
    options?: { cause?: unknown },
  ) {
    super(advice ? `${message}\n  → ${advice}` : message, options);
    this.name = 'CutoverError';
  }
}

/** A usage or configuration error: the CLI exits 2. */
export class ConfigError extends CutoverError {
  override name = 'ConfigError';
}

/** A source file or stream is malformed: names the file and byte offset. */
export class SourceFormatError extends CutoverError {
  override name = 'SourceFormatError';
  constructor(
    readonly file: string,
    readonly offset: number | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${offset === null ? '' : ` at byte ${offset}`}: ${message}`, 'Fix or re-export the file; nothing already committed was rolled back.', options);
  }
}
