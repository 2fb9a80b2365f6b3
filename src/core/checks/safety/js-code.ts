// Dangerous JavaScript/TypeScript reached indirectly, found on the syntax tree (@babel/parser)
// rather than by spelling: `eval` or the Function constructor through an alias, a comma
// expression, a computed member or `.constructor`; `import()` of a `data:` URL; `require`/`import`
// of a module name built at run time; decoded text handed to `child_process`; credential and
// start-up files named by `path.join` pieces. Names are resolved through `const`/`let`/`var`
// bindings in the file (a few hops), and string pieces are folded where they are constants.
import { parse, type ParserPlugin } from '@babel/parser'

export interface JsHit {
  rule: 'code/dynamic-code' | 'code/obfuscation' | 'code/credential-access' | 'code/persistence' | 'code/download-exec'
  start: number
  end: number
  what: string
}

// Babel's node shape, loosely: the analysis reads a handful of fields.
interface N {
  type: string
  start?: number | null
  end?: number | null
  [key: string]: unknown
}

const isNode = (v: unknown): v is N => typeof v === 'object' && v !== null && typeof (v as N).type === 'string'

/** Parses a script; undefined when it is not JavaScript babel can read (the syntax check reports that). */
function parseJs(text: string, typescript: boolean): N | undefined {
  const plugins: ParserPlugin[] = typescript ? ['typescript', 'decorators'] : ['jsx']
  try {
    return parse(text, {
      sourceType: 'unambiguous',
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      plugins
    }) as unknown as N
  } catch {
    return undefined
  }
}

/** Every node of the tree, parents first (iterative: a deep tree must not overflow the stack). */
function* walk(root: N): Generator<N> {
  const stack: N[] = [root]
  while (stack.length) {
    const node = stack.pop() as N
    yield node
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra') continue
      const v = node[key]
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) {
          const item: unknown = v[i]
          if (isNode(item)) stack.push(item)
        }
      } else if (isNode(v)) stack.push(v)
    }
  }
}

const DECODERS = /^(?:atob|unescape|decodeURIComponent|decodeURI|fromCharCode|fromCodePoint|from|reverse|decode)$/

/**
 * What a script must contain, as written, for jsHits to find anything in it; a script with none of
 * these is not parsed (@babel/parser costs about a millisecond even for a ten-line tool, most of a
 * whole scan's JavaScript time). Every hit below starts from one of them:
 * - a backslash: an escape can spell any name or string (`\u0065val`, `'\x65val'`);
 * - `import`, `require`: module loads;
 * - `eval`, `Function` (and AsyncFunction, GeneratorFunction), `constructor`, or a global object
 *   (`window`, `global`, `globalThis`, `self`) whose member is eval or Function;
 * - `exec`, `spawn`, `fork`, `system`, `run`: the process calls handed decoded text;
 * - `join`, `resolve`: path pieces;
 * - what `fold` assembles a computed member name (`x['constr' + 'uctor']`) with: `+`, `${`,
 *   `concat`, `reverse`, `fromCharCode`, `fromCodePoint`, `atob`, `decodeURI`, `unescape`, `from`
 *   (Buffer.from), `toLowerCase`; any other way to write such a name contains it literally.
 * Names are matched case-sensitively, as JavaScript reads them, in the script's code after the
 * comments it opens with (codeStart). test/safety-js-gate.test.ts holds
 * every hit of the analysis tests and every script of the fixtures and corpus to it.
 */
export const MAY_HIT =
  /\\|\+|\$\{|import|require|eval|Function|constructor|window|global|self|exec|spawn|fork|system|run|join|resolve|concat|reverse|fromCharCode|fromCodePoint|atob|decodeURI|unescape|from|toLowerCase/

/** MAY_HIT searching from its lastIndex: the gate reads a script from where its code starts. */
const MAY_HIT_FROM = new RegExp(MAY_HIT.source, 'g')

/**
 * Where the code of a script starts: after the blank lines and comments it opens with. Nothing
 * there is a node of the tree (a hit is always a node), so the gate need not read it: a header
 * comment's prose ("run", "from", "self") no longer sends a script without any such token in its
 * code to the parser. Conservative: a hashbang (an InterpreterDirective node), an unterminated
 * block comment or any other character ends the skip. A line comment ends at any of JavaScript's
 * line terminators (\n, \r, U+2028, U+2029), as the parser ends it.
 */
export function codeStart(text: string): number {
  let i = 0
  for (;;) {
    const c = text.charCodeAt(i)
    if (c === 32 || c === 9 || c === 10 || c === 13) i++
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      i += 2
      for (let d = text.charCodeAt(i); i < text.length && d !== 10 && d !== 13 && d !== 0x2028 && d !== 0x2029; d = text.charCodeAt(++i));
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2)
      if (end < 0) return i
      i = end + 2
    } else return i
  }
}

/** Whether a script may hold a hit (MAY_HIT in its code, its opening comments aside). */
export function mayHit(text: string): boolean {
  MAY_HIT_FROM.lastIndex = codeStart(text)
  return MAY_HIT_FROM.test(text)
}

/** `gate: false` parses every script (tests compare the two). */
export function jsHits(text: string, typescript: boolean, options: { gate?: boolean } = {}): JsHit[] {
  if (options.gate !== false && !mayHit(text)) return []
  const ast = parseJs(text, typescript)
  if (!ast) return []
  const bindings = new Map<string, N>()
  const declared = new Set<string>()
  /** Local name -> module it was imported or required from. */
  const imports = new Map<string, string>()
  for (const node of walk(ast)) {
    if (node.type === 'VariableDeclarator' && isNode(node.id) && node.id.type === 'Identifier') {
      const name = node.id.name as string
      declared.add(name)
      if (isNode(node.init) && !bindings.has(name)) bindings.set(name, node.init)
    } else if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && isNode(node.id)) {
      declared.add(node.id.name as string)
    } else if (node.type === 'ImportDeclaration' && isNode(node.source)) {
      for (const spec of (node.specifiers as N[]) ?? [])
        if (isNode(spec.local)) imports.set(spec.local.name as string, node.source.value as string)
    } else if (node.type === 'AssignmentExpression' && isNode(node.left) && node.left.type === 'Identifier' && isNode(node.right)) {
      if (!bindings.has(node.left.name as string)) bindings.set(node.left.name as string, node.right)
    }
  }

  /** The expression a name or wrapper stands for (aliases followed a few hops). */
  const resolve = (node: N | undefined, depth = 0): N | undefined => {
    let n = node
    for (let i = 0; n && i < 8; i++) {
      if (
        n.type === 'TSAsExpression' ||
        n.type === 'TSNonNullExpression' ||
        n.type === 'TSSatisfiesExpression' ||
        n.type === 'ParenthesizedExpression' ||
        n.type === 'TSTypeAssertion'
      )
        n = n.expression as N
      else if (n.type === 'SequenceExpression') n = (n.expressions as N[])[(n.expressions as N[]).length - 1]
      else if (n.type === 'AwaitExpression') n = n.argument as N
      else if (n.type === 'Identifier' && depth < 6 && bindings.has(n.name as string)) {
        const next = bindings.get(n.name as string)
        if (next === n) break
        n = next
        depth++
      } else break
    }
    return n
  }

  /** A constant string the expression always has, and whether it was decoded or assembled on the way. */
  const fold = (node: N | undefined, depth = 0): { value: string; built: boolean; decoded: boolean } | undefined => {
    const n = resolve(node)
    if (!n || depth > 12) return undefined
    switch (n.type) {
      case 'StringLiteral':
        return { value: n.value as string, built: false, decoded: false }
      case 'NumericLiteral':
        return { value: String(n.value), built: false, decoded: false }
      case 'TemplateLiteral': {
        const quasis = n.quasis as N[]
        const exprs = n.expressions as N[]
        let value = ''
        let decoded = false
        for (let i = 0; i < quasis.length; i++) {
          value += (quasis[i]?.value as { cooked?: string })?.cooked ?? ''
          if (i < exprs.length) {
            const part = fold(exprs[i], depth + 1)
            if (!part) return undefined
            value += part.value
            decoded ||= part.decoded
          }
        }
        return { value, built: exprs.length > 0, decoded }
      }
      case 'BinaryExpression': {
        if (n.operator !== '+') return undefined
        const a = fold(n.left as N, depth + 1)
        const b = fold(n.right as N, depth + 1)
        return a && b ? { value: a.value + b.value, built: true, decoded: a.decoded || b.decoded } : undefined
      }
      case 'ArrayExpression': {
        const parts = (n.elements as (N | null)[]).map((e) => (e ? fold(e, depth + 1) : undefined))
        if (parts.some((p) => !p)) return undefined
        // An array folds to its elements joined by commas, as String(array) does; join() below overrides.
        return { value: parts.map((p) => p?.value).join('\u0000'), built: true, decoded: parts.some((p) => p?.decoded) }
      }
      case 'CallExpression': {
        const callee = n.callee as N
        const args = n.arguments as N[]
        const method = calleeName(callee)
        const object = callee.type === 'MemberExpression' ? (callee.object as N) : undefined
        if (method === 'join' && object) {
          const arr = fold(object, depth + 1)
          const sep = args[0] ? fold(args[0], depth + 1) : { value: ',', built: false, decoded: false }
          if (arr && sep) return { value: arr.value.split('\u0000').join(sep.value), built: true, decoded: arr.decoded }
        }
        if (
          (method === 'reverse' ||
            method === 'split' ||
            method === 'concat' ||
            method === 'toString' ||
            method === 'trim' ||
            method === 'toLowerCase' ||
            method === 'replace' ||
            method === 'slice') &&
          object
        ) {
          const base = fold(object, depth + 1)
          if (!base) return undefined
          if (method === 'split') return { value: [...base.value].join('\u0000'), built: true, decoded: base.decoded }
          if (method === 'reverse') return { value: base.value.split('\u0000').reverse().join('\u0000'), built: true, decoded: true }
          if (method === 'concat') {
            const rest = args.map((a) => fold(a, depth + 1))
            if (rest.some((r) => !r)) return undefined
            return { value: base.value + rest.map((r) => r?.value).join(''), built: true, decoded: base.decoded }
          }
          if (method === 'toString' && object.type === 'CallExpression') return base
          return { value: method === 'toLowerCase' ? base.value.toLowerCase() : base.value, built: base.built, decoded: base.decoded }
        }
        if (method === 'fromCharCode' || method === 'fromCodePoint') {
          const codes = args.map((a) => resolve(a))
          if (codes.every((c) => c?.type === 'NumericLiteral'))
            return { value: String.fromCodePoint(...codes.map((c) => c?.value as number)), built: true, decoded: true }
          return undefined
        }
        if (method === 'atob' && args[0]) {
          const s = fold(args[0], depth + 1)
          return s ? { value: Buffer.from(s.value, 'base64').toString('latin1'), built: true, decoded: true } : undefined
        }
        if ((method === 'decodeURIComponent' || method === 'unescape' || method === 'decodeURI') && args[0]) {
          const s = fold(args[0], depth + 1)
          if (!s) return undefined
          try {
            return { value: decodeURIComponent(s.value), built: true, decoded: true }
          } catch {
            return undefined
          }
        }
        if (method === 'from' && object && calleeName(object) === 'Buffer' && args[0]) {
          const s = fold(args[0], depth + 1)
          const enc = args[1] ? fold(args[1], depth + 1)?.value : 'utf8'
          if (!s || !enc) return undefined
          if (enc === 'base64' || enc === 'hex' || enc === 'base64url')
            return { value: Buffer.from(s.value, enc).toString('latin1'), built: true, decoded: true }
          return s
        }
        return undefined
      }
      default:
        return undefined
    }
  }

  /** Whether an expression decodes text somewhere inside it (even when the input is not a constant). */
  const decodes = (node: N | undefined, depth = 0): boolean => {
    const n = resolve(node)
    if (!n || depth > 6) return false
    for (const inner of walk(n)) {
      if (inner.type === 'CallExpression' || inner.type === 'NewExpression') {
        const name = calleeName(inner.callee as N)
        if (name && DECODERS.test(name)) {
          if (name === 'from') {
            const args = inner.arguments as N[]
            const enc = args[1] ? fold(args[1])?.value : undefined
            if (enc !== 'base64' && enc !== 'hex' && enc !== 'base64url') continue
          }
          return true
        }
      }
      if (
        inner !== n &&
        inner.type === 'Identifier' &&
        bindings.has(inner.name as string) &&
        depth < 4 &&
        decodes(bindings.get(inner.name as string), depth + 1)
      )
        return true
    }
    return false
  }

  const isGlobalObject = (n: N | undefined) =>
    n?.type === 'Identifier' && /^(?:globalThis|window|global|self|this)$/.test(n.name as string) && !declared.has(n.name as string)
  const memberName = (m: N): string | undefined => {
    if (m.computed) return fold(m.property as N)?.value
    return (m.property as N)?.type === 'Identifier' ? ((m.property as N).name as string) : undefined
  }

  /** `eval` itself, however it is reached. */
  const isEval = (node: N | undefined): boolean => {
    const n = resolve(node)
    if (!n) return false
    if (n.type === 'Identifier') return n.name === 'eval' && !declared.has('eval')
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression')
      return memberName(n) === 'eval' && isGlobalObject(resolve(n.object as N))
    return false
  }

  /** The Function constructor (or its async/generator siblings), however it is reached. */
  const isFunctionCtor = (node: N | undefined): boolean => {
    const n = resolve(node)
    if (!n) return false
    if (n.type === 'Identifier')
      return (n.name === 'Function' || n.name === 'AsyncFunction' || n.name === 'GeneratorFunction') && !declared.has(n.name)
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      const name = memberName(n)
      if (name === 'constructor') return true
      if (name === 'Function' && isGlobalObject(resolve(n.object as N))) return true
    }
    return false
  }

  const hits: JsHit[] = []
  const add = (rule: JsHit['rule'], n: N, what: string) => hits.push({ rule, start: n.start ?? 0, end: n.end ?? (n.start ?? 0) + 1, what })

  for (const node of walk(ast)) {
    if (
      node.type === 'ImportExpression' ||
      (node.type === 'CallExpression' &&
        ((node.callee as N).type === 'Import' ||
          ((node.callee as N).type === 'Identifier' && (node.callee as N).name === 'require' && !declared.has('require'))))
    ) {
      const source = node.type === 'ImportExpression' ? (node.source as N) : (node.arguments as N[])[0]
      if (!source) continue
      const folded = fold(source)
      const raw = resolve(source)
      const prefix =
        raw?.type === 'BinaryExpression'
          ? fold(raw.left as N)?.value
          : raw?.type === 'TemplateLiteral'
            ? (((raw.quasis as N[])[0]?.value as { cooked?: string })?.cooked ?? '')
            : undefined
      if (/^\s*data:/i.test(folded?.value ?? prefix ?? '')) {
        add('code/dynamic-code', node, 'code imported from a data: URL (the module is text in the file, run as code)')
        continue
      }
      if (folded && (folded.built || folded.decoded) && source.type !== 'StringLiteral') {
        add('code/obfuscation', node, `a module name assembled at run time (it resolves to ${JSON.stringify(folded.value.slice(0, 60))})`)
        continue
      }
      if (!folded && decodes(source)) add('code/obfuscation', node, 'a module name decoded at run time')
      continue
    }
    if (node.type === 'CallExpression' || node.type === 'NewExpression' || node.type === 'OptionalCallExpression') {
      const callee = node.callee as N
      const args = node.arguments as N[]
      const direct = callee.type === 'Identifier' && (callee.name === 'eval' || callee.name === 'Function')
      if (isEval(callee) && !direct) {
        add(
          'code/dynamic-code',
          node,
          'eval reached indirectly (an alias, a comma expression or a computed name), so it runs a string as code'
        )
        continue
      }
      if (isFunctionCtor(callee) && !direct && !(node.type === 'NewExpression' && callee.type === 'Identifier')) {
        add(
          'code/dynamic-code',
          node,
          'the Function constructor reached indirectly (an alias or `.constructor`), which turns a string into code'
        )
        continue
      }
      const name = calleeName(callee)
      if (name && /^(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|fork|system|run)$/.test(name) && args[0] && decodes(args[0])) {
        add('code/obfuscation', node, `decoded text passed to ${name}() as a command`)
        continue
      }
      if ((name === 'eval' || isEval(callee) || isFunctionCtor(callee)) && args.some((a) => decodes(a))) {
        add('code/obfuscation', node, 'decoded text run as code')
        continue
      }
      if (name === 'join' || name === 'resolve') {
        const obj = callee.type === 'MemberExpression' ? (callee.object as N) : undefined
        const objName = obj?.type === 'Identifier' ? (obj.name as string) : obj?.type === 'MemberExpression' ? calleeName(obj) : undefined
        const init = objName ? bindings.get(objName) : undefined
        const requiredFrom =
          init?.type === 'CallExpression' && (init.callee as N).type === 'Identifier' && (init.callee as N).name === 'require'
            ? fold((init.arguments as N[])[0])?.value
            : undefined
        const from = objName ? (imports.get(objName) ?? requiredFrom) : undefined
        if (objName && (/^(?:path|posix|win32|nodePath)$/.test(objName) || /^(?:node:)?path(?:\/posix|\/win32)?$/.test(from ?? ''))) {
          const joined = foldPath(args)
          if (joined) pathHits(joined, node, add)
        }
      }
    }
  }

  /** path.join pieces with the home directory as `~`, or undefined when a piece is unknown. */
  function foldPath(args: N[]): string | undefined {
    const parts: string[] = []
    for (const a of args) {
      const r = resolve(a)
      if (!r) return undefined
      if (r.type === 'CallExpression' && /^(?:homedir|userInfo)$/.test(calleeName(r.callee as N) ?? '')) parts.push('~')
      else if (
        (r.type === 'MemberExpression' || r.type === 'OptionalMemberExpression') &&
        /^(?:HOME|USERPROFILE)$/.test(memberName(r) ?? '')
      )
        parts.push('~')
      else {
        const f = fold(r)
        if (!f) return undefined
        parts.push(f.value)
      }
    }
    return parts.join('/').replace(/\/+/g, '/')
  }
  return hits
}

function calleeName(callee: N | undefined): string | undefined {
  if (!callee) return undefined
  if (callee.type === 'Identifier') return callee.name as string
  if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
    const p = callee.property as N
    if (!callee.computed && p?.type === 'Identifier') return p.name as string
    if (p?.type === 'StringLiteral') return p.value as string
  }
  return undefined
}

/** Credential and start-up files a folded path names. */
export const CREDENTIAL_PATH =
  /(?:^|\/)(?:\.ssh\/(?:id_(?:rsa|dsa|ecdsa|ed25519)|[\w-]*_key)(?!\.pub)$|\.aws\/credentials$|\.netrc$|\.git-credentials$|\.pgpass$|\.pypirc$|\.docker\/config\.json$|\.config\/gh\/hosts\.yml$|\.gnupg(?:\/|$)|\.config\/gcloud\/|\.azure\/accessTokens\.json$|\.kube\/config$|\.npmrc$|Login Data$|cookies\.sqlite$|logins\.json$|key4\.db$|wallet\.dat$|Keychains(?:\/|$))/
export const STARTUP_PATH =
  /(?:^|\/)(?:\.bashrc|\.bash_profile|\.bash_login|\.zshrc|\.zprofile|\.zshenv|\.zlogin|\.profile|config\.fish|\.ssh\/authorized_keys|\.config\/autostart\/.*|Library\/LaunchAgents\/.*|\.config\/systemd\/user\/.*)$/

function pathHits(joined: string, node: N, add: (rule: JsHit['rule'], n: N, what: string) => void): void {
  if (CREDENTIAL_PATH.test(joined)) add('code/credential-access', node, `a credential file named in pieces (${JSON.stringify(joined)})`)
  else if (STARTUP_PATH.test(joined) && joined.startsWith('~'))
    add('code/persistence', node, `a shell start-up or autostart file named in pieces (${JSON.stringify(joined)})`)
}
