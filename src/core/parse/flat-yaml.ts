// Parse fast, locate only when asked: most manifests and SKILL.md frontmatter blocks are a flat
// list of `key: value` lines, which the full YAML parser (a concrete syntax tree with positions
// for every node) reads at several times the cost of the text itself. This reads that flat shape
// only and gives up (undefined) on anything else: then the full parser decides, so a text either
// gets exactly the value the full parser gives (YAML 1.2 core schema) or goes the full way.
//
// Read here: top-level `key: value` lines with a simple key, where the value is a plain scalar
// that can only be a string, a quoted string without escapes, or a flow list of such; blank and
// comment lines. Anything else (indentation, tabs, CR, a duplicate key, anchors, tags, a value
// that could be a number, boolean or null, characters YAML may refuse) goes to the full parser.

// A flat line is /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/, matched by hand (keyEnd, then valueStart
// for the spaces and what `.` refuses) so that a line costs no match array.
const SAFE_TEXT = /^[\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]*$/
const DOUBLE = /^"([^"\\]*)"(?: +#.*)? *$/
const SINGLE = /^'([^']*)'(?: +#.*)? *$/
const LIST = /^\[([^\]]*)\](?: +#.*)? *$/
const NULL_KEY = /^(?:[Nn]ull|NULL)$/
/** Plain scalars the core schema resolves to something other than a string. */
const NOT_STRING = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/

/** The value of a flat YAML mapping, or undefined when the text is not one (use the full parser). */
export function parseFlatYaml(text: string): Record<string, unknown> | undefined {
  if (!SAFE_TEXT.test(text)) return undefined
  const out: Record<string, unknown> = {}
  let keys = 0
  for (const line of text.split('\n')) {
    // A line of spaces goes the full way: yaml refuses one at the end of a text (the differential
    // test in test/yaml-differential.test.ts found it).
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue
    if (onlySpaces(line)) return undefined
    const colon = keyEnd(line)
    if (colon < 0) return undefined
    const start = valueStart(line, colon)
    if (start < 0) return undefined
    const key = line.slice(0, colon)
    // A `null` key is the empty string to yaml.
    if (key === '__proto__' || NULL_KEY.test(key) || Object.prototype.hasOwnProperty.call(out, key)) return undefined
    const raw = line.slice(start)
    const value = scalar(raw, false) ?? (raw.charCodeAt(0) === 91 /* [ */ ? list(raw) : undefined)
    if (value === undefined) return undefined
    out[key] = value
    keys++
  }
  return keys ? out : undefined
}

function scalar(raw: string, inFlow: boolean): string | undefined {
  // Each pattern is tried only where it could match (they are anchored on the first character).
  const first = raw.charCodeAt(0)
  const quoted = first === 34 ? DOUBLE.exec(raw) : first === 39 ? SINGLE.exec(raw) : null
  if (quoted) return quoted[1]
  // A plain scalar: cut a ` #` comment, then accept only what must be a string.
  const hash = raw.indexOf(' #')
  const plain = trimEndSpaces(hash < 0 ? raw : raw.slice(0, hash))
  if (!/^[A-Za-z]/.test(plain) || NOT_STRING.test(plain)) return undefined
  if (plain.includes(': ') || plain.endsWith(':') || /[[\]{}]/.test(plain)) return undefined
  if (inFlow && /[,:]/.test(plain)) return undefined
  return plain
}

function list(raw: string): string[] | undefined {
  const m = LIST.exec(raw)
  if (!m) return undefined
  const inner = spaces(m[1] as string)
  if (inner === '') return []
  const items: string[] = []
  for (const part of inner.split(',')) {
    const item = spaces(part)
    if (item.includes('#') || item.includes('"') || item.includes("'")) return undefined
    const value = scalar(item, true)
    if (value === undefined) return undefined
    items.push(value)
  }
  return items
}

/** Without the spaces around it: YAML's white space is space and tab (tabs never get here), where
 * String.prototype.trim also drops U+00A0, U+FEFF and other Unicode spaces that yaml keeps (the
 * differential test, test/yaml-differential.test.ts, found both). */
function spaces(text: string): string {
  return text.replace(/^ +| +$/g, '')
}

/** Whether a line is nothing but spaces (a blank line of spaces goes the full way). */
function onlySpaces(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== 32) return false
  return true
}

/** Without the spaces at its end (what `.replace(/ +$/, '')` gives, without a regular expression per value). */
function trimEndSpaces(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--
  return end === text.length ? text : text.slice(0, end)
}

/** Where the `:` after a simple key stands, or -1. The one definition of a flat line's key:
 * flat-yaml-locate.ts finds the same key and value with it. */
export function keyEnd(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 // A-Z a-z _
    if (letter || (i > 0 && ((c >= 48 && c <= 57) || c === 45))) continue // 0-9 -
    return i > 0 && c === 58 ? i : -1 // :
  }
  return -1
}

/** Where the value after the key's `:` starts (past its spaces), or -1 when the line is not flat there. */
export function valueStart(line: string, colon: number): number {
  let start = colon + 1
  if (start === line.length) return start
  if (line.charCodeAt(start) !== 32) return -1
  while (start < line.length && line.charCodeAt(start) === 32) start++
  return hasLineSeparator(line, start) ? -1 : start
}

/** Whether the line has, from `start`, a character `.` does not match (U+2028, U+2029; CR and LF never get here). */
function hasLineSeparator(line: string, start: number): boolean {
  for (let i = start; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c === 0x2028 || c === 0x2029) return true
  }
  return false
}
