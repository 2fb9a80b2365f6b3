// What tells a documented example from a committed credential, beyond the placeholder words of
// secrets.ts: values typed as a visible sequence (`A1B2C3D4…`, `ABCD1234EFGH5678`, `0123…cdef`),
// URLs whose host is the reader's own machine, a container on a compose network or a reserved
// example domain, and values that are code (a call, an attribute path) rather than a literal.

/** Values typed as a sequence: letters and digits each mostly counting up (A1B2C3…, abcd1234…). */
export function isTypedSequence(value: string): boolean {
  const letters = [...value.toUpperCase()].filter((c) => c >= 'A' && c <= 'Z')
  const digits = [...value].filter((c) => c >= '0' && c <= '9')
  const ascending = (chars: string[], wrap: number) => {
    if (chars.length < 4) return chars.length === 0 ? 1 : 0
    let up = 0
    for (let i = 1; i < chars.length; i++) {
      const d = ((chars[i] as string).charCodeAt(0) - (chars[i - 1] as string).charCodeAt(0) + wrap) % wrap
      if (d === 1) up++
    }
    return up / (chars.length - 1)
  }
  if (letters.length + digits.length < 12) return false
  // Hex counting (0123456789abcdef…) is one run over both classes.
  const hex = [...value.toLowerCase()].filter((c) => /[0-9a-f]/.test(c))
  if (hex.length === value.length && hex.length >= 12) {
    let up = 0
    for (let i = 1; i < hex.length; i++) if ((parseInt(hex[i] as string, 16) - parseInt(hex[i - 1] as string, 16) + 16) % 16 === 1) up++
    if (up / (hex.length - 1) >= 0.7) return true
  }
  return ascending(letters, 26) >= 0.7 && ascending(digits, 10) >= 0.7
}

/**
 * Hosts that are not a real service a credential would open: loopback, single-label names (a
 * container on a compose network: `db`, `cache`), local and private networks, and (in
 * documentation) the reserved example domains.
 */
export function isDemoHost(host: string, options: { docs?: boolean } = {}): boolean {
  const h = host
    .replace(/^\[|\]$/g, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .toLowerCase()
  if (h === '' || h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::1') return true
  if (/^127\.\d+\.\d+\.\d+$/.test(h)) return true
  if (!h.includes('.') && !h.includes(':')) return true
  if (/(?:^|\.)(?:local|internal|localdomain|lan|home\.arpa)$/.test(h)) return true
  // Reserved example domains (RFC 2606) are demos in documentation; in a config file a password
  // beside them is still a password someone typed.
  if (options.docs && /(?:^|\.)(?:example|test|invalid)$|(?:^|\.)example\.(?:com|net|org)$/.test(h)) return true
  // Private networks: a development machine, not a secret's home.
  if (/^(?:10|192\.168)\.\d+\.\d+(?:\.\d+)?$/.test(h) || /^172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+$/.test(h)) return true
  return false
}

/** A value that is code, not a literal: a call, an attribute path, a subscript or a variable. */
export function isCodeExpression(value: string): boolean {
  return /[()[\]]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) || /^\$[\w{]/.test(value)
}

export interface ConnectionSecret {
  start: number
  end: number
  value: string
  key: string
}

// Keys of ADO.NET / ODBC / JDBC / Azure Storage connection strings.
const SERVER_KEYS =
  /^(?:server|data source|host|hostname|addr|address|network address|endpoint|accountname|defaultendpointsprotocol|blobendpoint|database|initial catalog|dbname|user id|uid|user|username|driver|provider|port)$/i
const SECRET_KEYS = /^(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|pass)$/i

const CONNECTION_STRING = /(?:[A-Za-z][A-Za-z ]{0,30}=[^;\n"'`]*;){1,20}[A-Za-z][A-Za-z ]{0,30}=[^;\n"'`]*;?/g

/**
 * The matches of `re` (global, no lookbehind, no match crossing a line) in the lines of `text` that
 * hold `needle`, with offsets in `text`: the same matches as in the whole text when every match
 * contains the needle.
 */
export function* linesWith(text: string, needle: string, re: RegExp): Generator<RegExpExecArray> {
  for (let at = text.indexOf(needle); at >= 0;) {
    const start = text.lastIndexOf('\n', at) + 1
    const nl = text.indexOf('\n', at)
    const end = nl < 0 ? text.length : nl
    const line = text.slice(start, end)
    re.lastIndex = 0
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      if (m[0] === '') re.lastIndex++
      m.index += start
      yield m
    }
    at = nl < 0 ? -1 : text.indexOf(needle, end)
  }
}

/**
 * Passwords and keys inside `key=value;key=value` connection strings that name a server or account:
 * a value only counts as a connection string when it has one of those keys beside the secret.
 */
export function connectionStringSecrets(text: string): ConnectionSecret[] {
  const out: ConnectionSecret[] = []
  // A run of at least two `key=value;` pairs on one line. No match crosses a line and each holds a
  // `;`, so only lines with one are searched: in prose the pattern tries 30 letters at every letter.
  for (const m of linesWith(text, ';', CONNECTION_STRING)) {
    const pairs = [...m[0].matchAll(/([A-Za-z][A-Za-z ]{0,30})=([^;\n"'`]*)/g)]
    if (!pairs.some((p) => SERVER_KEYS.test((p[1] as string).trim()))) continue
    for (const p of pairs) {
      const key = (p[1] as string).trim()
      const value = (p[2] as string).trim()
      if (!SECRET_KEYS.test(key) || value.length < 6) continue
      const start = m.index + p.index + p[0].indexOf('=') + 1 + ((p[2] as string).length - (p[2] as string).trimStart().length)
      out.push({ start, end: start + value.length, value, key })
    }
  }
  return out
}
