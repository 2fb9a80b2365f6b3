// What the scores job's byte scanners share (stats-summary.ts, stats-columns-scan.ts,
// registry-splice.ts): they read JSON as the service or the build writes it, straight from its
// bytes, and give up at anything else, which the caller then parses in full.

export const NL = 0x0a
export const SPACE = 0x20
export const QUOTE = 0x22
export const COMMA = 0x2c
export const DASH = 0x2d
export const ZERO = 0x30
export const NINE = 0x39
export const COLON = 0x3a
export const OPEN_BRACKET = 0x5b
export const BACKSLASH = 0x5c
export const CLOSE_BRACKET = 0x5d
export const OPEN_BRACE = 0x7b
export const CLOSE_BRACE = 0x7d

/** The bytes of an ASCII word, to compare with a scanner's input in place. */
export const asciiBytes = (w: string): Uint8Array => Uint8Array.from(w, (c) => c.charCodeAt(0))

/** Thrown inside a scan for anything it does not take on itself; never leaves scanOrGiveUp. */
class GiveUp extends Error {}

export const giveUp = (): never => {
  throw new GiveUp()
}

/** The scan's result, or undefined when it gave up (then the caller parses the bytes in full). */
export function scanOrGiveUp<T>(scan: () => T): T | undefined {
  try {
    return scan()
  } catch (e) {
    if (e instanceof GiveUp) return undefined
    throw e
  }
}
