// Where a value read by the flat YAML path (flat-yaml.ts) stands, without the full parser: for a
// text parseFlatYaml accepted, the same positions the positional parser (located-yaml.ts) gives,
// so a finding on a flat manifest needs neither the `yaml` library loaded nor a second parse.
// test/yaml-differential.test.ts compares both on every path of thousands of flat texts.
import { LineIndex, type Position } from './text.js'
import type { JsonPath, ParseResult } from './located-base.js'
import { keyEnd, parseFlatYaml, valueStart } from './flat-yaml.js'

type Span = readonly [number, number]

interface FlatEntry {
  key: Span
  value: Span
  /** A flow list's items. */
  items?: Span[]
}

interface FlatSpans {
  /** The mapping: from its first key to the end of its last entry's line. */
  map: Span
  entries: Map<string, FlatEntry>
}

/** Spans of a text parseFlatYaml read (anything else is not a flat text: do not call this on it). */
function flatSpans(text: string): FlatSpans {
  const entries = new Map<string, FlatEntry>()
  let first = -1
  let end = 0
  let start = 0
  while (start <= text.length) {
    const newline = text.indexOf('\n', start)
    const stop = newline < 0 ? text.length : newline
    const line = text.slice(start, stop)
    // The same line reading as parseFlatYaml's (every line of an accepted text is blank, a comment or an entry).
    const colon = line === '' || line.startsWith('#') ? -1 : keyEnd(line)
    const at = colon < 0 ? -1 : valueStart(line, colon)
    if (at >= 0) {
      entries.set(line.slice(0, colon), { key: [start, start + colon], ...valueSpans(line.slice(at), start + at) })
      if (first < 0) first = start
      end = newline < 0 ? stop : stop + 1
    }
    if (newline < 0) break
    start = newline + 1
  }
  return { map: [first, end], entries }
}

function valueSpans(raw: string, at: number): Omit<FlatEntry, 'key'> {
  const quote = raw[0]
  if (quote === '"' || quote === "'") return { value: [at, raw.indexOf(quote, 1) + 1 + at] }
  if (quote === '[') {
    const close = raw.indexOf(']')
    const items: Span[] = []
    const inner = raw.slice(1, close)
    if (inner.trim() !== '') {
      let offset = at + 1
      for (const part of inner.split(',')) {
        const lead = part.length - part.replace(/^ +/, '').length
        const item = part.replace(/^ +| +$/g, '')
        items.push([offset + lead, offset + lead + item.length])
        offset += part.length + 1
      }
    }
    return { value: [at, at + close + 1], items }
  }
  const hash = raw.indexOf(' #')
  const plain = (hash < 0 ? raw : raw.slice(0, hash)).replace(/ +$/, '')
  return { value: [at, at + plain.length] }
}

/** locate() for a flat text: what the positional parser's locate gives for the same path. */
export function flatLocator(text: string, lineOffset: number): (path: JsonPath, target?: 'value' | 'key') => Position {
  let spans: FlatSpans | undefined
  let lines: LineIndex | undefined
  return (path, target = 'value') => {
    spans ??= flatSpans(text)
    lines ??= new LineIndex(text, lineOffset)
    let best: Span = spans.map
    const seg = path[0]
    const entry = path.length > 0 ? spans.entries.get(String(seg)) : undefined
    if (entry) {
      if (path.length === 1 && target === 'key') best = entry.key
      else {
        best = entry.value
        const index = path[1]
        if (path.length > 1 && entry.items && typeof index === 'number') {
          const item = entry.items[index]
          if (item) best = item
        }
      }
    }
    return lines.range(best[0], best[1])
  }
}

/** A flat text's document (its value, located as the positional parser would), or undefined when the text is not flat. */
export function flatDocument(text: string, options: { lineOffset?: number }): ParseResult | undefined {
  const value = parseFlatYaml(text)
  return value === undefined ? undefined : { doc: { value, locate: flatLocator(text, options.lineOffset ?? 0) }, problems: [] }
}
