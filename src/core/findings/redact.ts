// Masking secrets in anything the toolkit writes. The safety scan finds the secrets; the pipeline
// masks them in every check's findings, so no output (text, JSON, SARIF, summary, comment,
// annotation) carries one, whichever check quoted the line it sits on.
import type { Finding } from './findings.js'

/** What a finding shows of a secret: at most 4 leading characters (fewer for short ones) and its length. */
export function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 5))
  return `${value.slice(0, shown)}…(${value.length} chars)`
}

/**
 * Replaces every secret in a message with its masked form, including a secret that a message cut
 * short (`"…?k=sk-proj-abc…"`): from its first 8 characters on, as far as the message follows it.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) {
    if (s.length < 8) {
      if (s.length >= 4) out = out.split(s).join(maskSecret(s))
      continue
    }
    const head = s.slice(0, 8)
    for (let i = out.indexOf(head); i >= 0; i = out.indexOf(head, i + 1)) {
      let n = 8
      while (n < s.length && out[i + n] === s[n]) n++
      const mask = maskSecret(s)
      out = `${out.slice(0, i)}${mask}${out.slice(i + n)}`
      i += mask.length - 1
    }
  }
  return out
}

export function redactFinding(f: Finding, secrets: readonly string[]): Finding {
  const out: Finding = { ...f, message: redact(f.message, secrets) }
  if (f.hint !== undefined) out.hint = redact(f.hint, secrets)
  return out
}
