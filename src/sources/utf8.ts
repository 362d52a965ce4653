// Locate the first invalid UTF-8 sequence by byte offset. Only used once a fatal TextDecoder has
// rejected a file (the fast path), so this byte loop never runs on good input.
import { createReadStream } from 'node:fs';

/** A streaming UTF-8 validator (WHATWG rules: no overlongs, surrogates or code points past U+10FFFF). */
export class Utf8Validator {
  private offset = 0;
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private seqStart = 0;

  /** Feed bytes; returns the byte offset where the first invalid sequence starts, or -1. */
  push(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const at = this.offset + i;
      if (this.needed === 0) {
        if (b <= 0x7f) continue;
        this.seqStart = at;
        if (b >= 0xc2 && b <= 0xdf) this.needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
          this.needed = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
          this.needed = 3;
        } else return at;
      } else {
        if (b < this.lower || b > this.upper) return this.seqStart;
        this.lower = 0x80;
        this.upper = 0xbf;
        this.needed--;
      }
    }
    this.offset += bytes.length;
    return -1;
  }

  /** End of input: the offset of a sequence cut short, or -1. */
  end(): number {
    return this.needed ? this.seqStart : -1;
  }
}

/** Byte offset of the first invalid UTF-8 sequence in a byte array, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const v = new Utf8Validator();
  const at = v.push(bytes);
  return at >= 0 ? at : v.end();
}

/** Byte offset of the first invalid UTF-8 sequence in a file (streamed), or -1. */
export async function firstInvalidUtf8InFile(file: string): Promise<number> {
  const v = new Utf8Validator();
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const at = v.push(chunk);
      if (at >= 0) return at;
    }
    return v.end();
  } finally {
    stream.destroy();
  }
}
