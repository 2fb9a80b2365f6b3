// Dangerous Python reached indirectly. There is no Python parser in the bundle, so this reads the
// calls that matter with their balanced argument lists and follows simple `name = expression`
// assignments (a few hops): decoded text handed to a shell or to exec, credential and start-up
// files named by `os.path.join`/`Path` pieces, data from the network unpickled, and the home
// directory removed.
import { CREDENTIAL_PATH, STARTUP_PATH } from './js-code.js'
import { objectList } from './object-list.js'

export interface PyHit {
  rule: 'code/obfuscation' | 'code/credential-access' | 'code/persistence' | 'code/download-exec' | 'code/destructive'
  start: number
  end: number
  what: string
}

const DECODE =
  /\b(?:b64decode|b32decode|b85decode|a85decode|urlsafe_b64decode|decodebytes|decodestring|unhexlify|fromhex|zlib\.decompress|codecs\.decode|lzma\.decompress|gzip\.decompress|bz2\.decompress|marshal\.loads)\b|\[::-1\]/
const NETWORK =
  /\b(?:requests\.(?:get|post|request)|urllib\.request\.urlopen|urlopen|httpx\.(?:get|post|Client)|urllib3|aiohttp|http\.client|socket\.recv|\.recv\()/
const RUNS_COMMAND =
  /\b(?:os\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?)|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|commands\.getoutput|pty\.spawn|asyncio\.create_subprocess_(?:shell|exec))\s*\(/g
const RUNS_CODE = /(?<![\w.])(?:exec|eval)\s*\(/g
const UNPICKLE = /\b(?:pickle|cPickle|dill|joblib|marshal|shelve|_pickle)\.loads?\s*\(|\btorch\.load\s*\(/g
const HOME =
  /\b(?:os\.path\.expanduser\(\s*['"]~['"]\s*\)|Path\.home\(\)|pathlib\.Path\.home\(\)|os\.environ(?:\.get)?[[(]\s*['"](?:HOME|USERPROFILE)['"]|os\.getenv\(\s*['"](?:HOME|USERPROFILE)['"])/

/** The text of the balanced parentheses that open at `open` (the `(`), bounded. */
function argsAt(text: string, open: number): { inner: string; end: number } {
  let depth = 0
  let quote: string | undefined
  for (let i = open; i < text.length && i < open + 4000; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') {
      depth--
      if (depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 }
    }
  }
  return { inner: text.slice(open + 1, Math.min(text.length, open + 4000)), end: Math.min(text.length, open + 4000) }
}

export function pythonHits(text: string, offset = 0): PyHit[] {
  const hits = objectList<PyHit>() // one kind of list, empty or not (object-list.ts)
  // name = expression (one line), last assignment wins for the purposes of a hint.
  const assigned = new Map<string, string>()
  for (const m of text.matchAll(/^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=[ \t]*(?!=)(.+)$/gm)) assigned.set(m[1] as string, m[2] as string)

  /** The expression with the names it uses replaced by what they were assigned (a few hops). */
  const expand = (expr: string, depth = 0): string => {
    if (depth > 4) return expr
    let out = expr
    for (const name of new Set(expr.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
      const value = assigned.get(name)
      if (value && value !== expr) out += ` ${expand(value, depth + 1)}`
    }
    return out
  }

  for (const re of [RUNS_COMMAND, RUNS_CODE]) {
    re.lastIndex = 0
    for (const m of text.matchAll(re)) {
      const open = m.index + m[0].length - 1
      const { inner, end } = argsAt(text, open)
      const expanded = expand(inner)
      if (DECODE.test(expanded))
        hits.push({
          rule: 'code/obfuscation',
          start: offset + m.index,
          end: offset + end,
          what: `decoded text passed to ${m[0].replace(/\s*\($/, '')}(), which runs it`
        })
      else if (re === RUNS_CODE && NETWORK.test(expanded))
        hits.push({
          rule: 'code/download-exec',
          start: offset + m.index,
          end: offset + end,
          what: 'code fetched from the network and run'
        })
    }
  }
  for (const m of text.matchAll(UNPICKLE)) {
    const open = m.index + m[0].length - 1
    const { inner, end } = argsAt(text, open)
    const expanded = expand(inner)
    // torch.load with weights_only=True does not unpickle arbitrary objects.
    if (/weights_only\s*=\s*True/.test(inner)) continue
    if (NETWORK.test(expanded))
      hits.push({
        rule: 'code/download-exec',
        start: offset + m.index,
        end: offset + end,
        what: 'data from the network unpickled (unpickling runs code the data names)'
      })
  }
  // Paths in pieces: os.path.join(HOME, '.ssh', 'id_rsa'), Path.home() / '.aws' / 'credentials'.
  for (const m of text.matchAll(
    /\bos\.path\.join\s*\(|\bPath\.home\(\)\s*\/|\bPath\(\s*(?:os\.path\.expanduser\(\s*['"]~['"]\s*\)|['"]~['"])\s*\)\s*\//g
  )) {
    const start = m.index
    let inner: string
    let end: number
    if (m[0].startsWith('os.path.join')) ({ inner, end } = argsAt(text, start + m[0].length - 1))
    else {
      const line = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start))
      inner = line
      end = start + line.length
    }
    const expanded = inner.split(/,|\//).map((part) => {
      const p = part.trim()
      if (HOME.test(p) || /^Path\.home\(\)$/.test(p) || HOME.test(expand(p))) return '~'
      const lit = /^[rbuf]?(['"])(.*)\1$/.exec(p)
      if (lit) return lit[2] as string
      const value = assigned.get(p)
      if (value && HOME.test(value)) return '~'
      const valueLit = value ? /^[rbuf]?(['"])(.*)\1$/.exec(value.trim()) : null
      return valueLit ? (valueLit[2] as string) : '?'
    })
    const path = expanded.join('/').replace(/\/+/g, '/')
    if (CREDENTIAL_PATH.test(path))
      hits.push({
        rule: 'code/credential-access',
        start: offset + start,
        end: offset + end,
        what: `a credential file named in pieces (${JSON.stringify(path)})`
      })
    else if (STARTUP_PATH.test(path) && path.startsWith('~'))
      hits.push({
        rule: 'code/persistence',
        start: offset + start,
        end: offset + end,
        what: `a shell start-up or autostart file named in pieces (${JSON.stringify(path)})`
      })
  }
  for (const m of text.matchAll(/\bshutil\.rmtree\s*\(/g)) {
    const { inner, end } = argsAt(text, m.index + m[0].length - 1)
    const target = expand(inner.split(',')[0] ?? '')
    if (
      HOME.test(inner.split(',')[0] ?? '') ||
      /^\s*(?:['"]\/['"]|['"]~['"])\s*$/.test(inner.split(',')[0] ?? '') ||
      (HOME.test(target) && !/\//.test(inner))
    ) {
      hits.push({
        rule: 'code/destructive',
        start: offset + m.index,
        end: offset + end,
        what: 'shutil.rmtree of the home directory or the root'
      })
    }
  }
  return hits
}
