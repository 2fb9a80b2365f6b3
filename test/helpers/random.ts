/** mulberry32: a small seeded generator, so a randomised test sees the same values on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `count` copies of `base`, each with one to three bytes replaced by one of `alphabet`'s, the same
 * on every run: inputs for a fast scanner that must agree with the full parse wherever it accepts.
 */
export function byteMutations(base: Uint8Array, alphabet: string, seed: number, count: number): Buffer[] {
  const r = rng(seed)
  const letters = Buffer.from(alphabet)
  const out: Buffer[] = []
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(base)
    const edits = 1 + Math.floor(r() * 3)
    for (let e = 0; e < edits; e++) bytes[Math.floor(r() * bytes.length)] = letters[Math.floor(r() * letters.length)] as number
    out.push(bytes)
  }
  return out
}
