// Exact byte offsets for a JSON file that failed to decode. The fast path (the byte scanner of
// json-scan.ts) only notices that a chunk is bad; these error-only passes re-read the file to find
// the byte: a UTF-8 validator, or stream-json's verifier (which counts characters, mapped back to bytes).
import { createReadStream } from 'node:fs';
import { jsonVerifier } from 'stream-json/core/utils/verifier.js';
import { none } from 'stream-chain/core';
import { SourceFormatError } from '../core/problems.ts';
import { firstInvalidUtf8InFile } from './utf8.ts';

export const LOCATE_CHUNK_BYTES = 1 << 20;

export type Failure = { kind: 'utf8' } | { kind: 'json'; message: string } | { kind: 'shape'; message: string; offset: number };

/** Thrown inside the decoder; turned into a SourceFormatError with an exact offset by the caller. */
export class DecodeFailure extends Error {
  constructor(readonly failure: Failure, options?: { cause?: unknown }) {
    super(failure.kind === 'utf8' ? 'invalid UTF-8' : failure.message, options);
  }
}

/** Byte offset and message of the first JSON syntax error in a file, from stream-json's verifier. */
export async function locateJsonError(file: string): Promise<{ offset: number; line: number; column: number; message: string } | null> {
  const verify = jsonVerifier();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const segments: Array<{ charStart: number; byteStart: number; text: string }> = [];
  let chars = 0;
  let bytes = 0;
  let first = true;
  const toBytes = (charOffset: number): number => {
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i]!;
      if (charOffset >= s.charStart) return s.byteStart + Buffer.byteLength(s.text.slice(0, charOffset - s.charStart));
    }
    return segments[0]?.byteStart ?? 0;
  };
  const run = (input: string | typeof none) => {
    try {
      verify(input as string);
      return null;
    } catch (err) {
      const e = err as Error & { offset?: number; line?: number; pos?: number };
      const message = e.message.replace(/^ERROR at \d+ \(\d+, \d+\): /, '').replace(/^Verifier /, '');
      return { offset: toBytes(e.offset ?? chars), line: e.line ?? 0, column: e.pos ?? 0, message };
    }
  };
  const stream = createReadStream(file, { highWaterMark: LOCATE_CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text = decoder.decode(chunk, { stream: true });
      if (first && text.length) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
          bytes += 3;
        }
      }
      segments.push({ charStart: chars, byteStart: bytes, text });
      if (segments.length > 3) segments.shift();
      chars += text.length;
      bytes += Buffer.byteLength(text);
      const found = run(text);
      if (found) return found;
    }
    return run(none);
  } finally {
    stream.destroy();
  }
}

/** Turn a decoder failure into a SourceFormatError naming the file and the exact byte. */
export async function formatError(file: string, err: unknown, fallbackOffset: number): Promise<SourceFormatError> {
  if (!(err instanceof DecodeFailure)) {
    return new SourceFormatError(file, null, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  const f = err.failure;
  if (f.kind === 'utf8') {
    const at = await firstInvalidUtf8InFile(file).catch(() => -1);
    return new SourceFormatError(file, at >= 0 ? at : fallbackOffset, 'invalid UTF-8 byte sequence (the export must be UTF-8)', { cause: err });
  }
  if (f.kind === 'shape') return new SourceFormatError(file, f.offset, f.message, { cause: err });
  const found = await locateJsonError(file).catch(() => null);
  if (!found) return new SourceFormatError(file, fallbackOffset, `malformed JSON: ${f.message}`, { cause: err });
  return new SourceFormatError(file, found.offset, `malformed JSON (line ${found.line}, column ${found.column}): ${found.message}`, { cause: err });
}
