// Turning bytes into text and offsets into line:column, shared by every parser.
import { Buffer, isUtf8 } from 'node:buffer'

export type Decoded = { ok: true; text: string } | { ok: false; reason: string }

/**
 * Strict UTF-8 with the BOM dropped; NUL bytes mean the file is not text. Checked by `isUtf8` (the
 * same rule as a fatal TextDecoder: no overlong forms, surrogates or truncated sequences) and then
 * decoded by Buffer: a fatal TextDecoder cost 6-8 % of a validate run, these a fraction of it.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.includes(0)) return { ok: false, reason: 'it contains NUL bytes (binary, or UTF-16)' }
  if (!isUtf8(bytes)) return { ok: false, reason: 'it is not valid UTF-8' }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text }
}

export interface Position {
  line: number
  column: number
  endLine?: number
  endColumn?: number
}

/** Maps string offsets to 1-based lines and columns (columns count UTF-16 code units). */
export class LineIndex {
  private readonly starts: number[] = [0]

  constructor(
    text: string,
    /** Lines before this text in its file (a frontmatter block starts on line 2). */
    private readonly lineOffset = 0
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1)
  }

  position(offset: number): Position {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.starts[mid] as number) <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1 + this.lineOffset, column: offset - (this.starts[lo] as number) + 1 }
  }

  range(start: number, end: number): Position {
    const a = this.position(start)
    const b = this.position(Math.max(start, end))
    return { ...a, endLine: b.line, endColumn: b.column }
  }
}

// Characters that would hide or reorder text in a terminal, a PR comment or an annotation.
const HIDDEN = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]/gu

/** Escapes invisible and bidi characters as `\\u{...}`, so text shows as it was written. */
export function escapeHidden(s: string): string {
  return s.replace(HIDDEN, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)
}

/** JSON-quotes a string (escaping control characters) and escapes hidden ones too. */
export function quoteVisible(s: string): string {
  return escapeHidden(JSON.stringify(s))
}
