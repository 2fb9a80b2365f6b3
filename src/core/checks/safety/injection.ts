// Prompt injection: text that an agent reads (SKILL.md, other Markdown, descriptions in manifests
// and server.json, tool descriptions in code) written to take control of it. Each pattern is a
// phrase shape, not a keyword, so that instructions ABOUT a topic ("never print tokens") do not
// match; a match inside a code block, inline code or a block quote is an example, reported as a
// warning (the agent still reads it, but a document about injection needs to quote some).
import type { Finding } from '../../findings/findings.js'
import type { RuleId } from '../../findings/rules.js'
import { findingAt, matches, snippet, type TextFile } from './file.js'
import { markdownRegions, regionAt as regionIn, type Region } from './markdown.js'
import { CLAUSE_NEGATION, FOLLOW_DIRECTIVE, PHRASE_PATTERNS } from './injection-phrases.js'
import { Prefilter } from './prefilter.js'

type InjectionRule = Extract<RuleId, `injection/${string}`>

interface Pattern {
  rule: Exclude<InjectionRule, 'injection/quoted-example'>
  re: RegExp
  what: string
  /** Skip a match that a negation ("never", "do not") just before turns into advice. */
  negatable?: boolean
}

const S = String.raw`[\s*_]+` // words may be separated by spaces, newlines or Markdown emphasis

const INSTRUCTIONS = String.raw`(?:instructions?|prompts?|rules|directions|guidelines|guardrails|directives|messages|context|constraints|policies|system${S}prompt)`
const PRIOR = String.raw`(?:previous|prior|above|earlier|preceding|original|existing|initial|system|developer|safety|other)`

const PATTERNS: readonly Pattern[] = [
  {
    rule: 'injection/override',
    what: "an instruction to discard the agent's own instructions",
    re: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|override|bypass|abandon|drop)${S}(?:(?:all|any|every|the|your|of|these|those)${S})*${PRIOR}${S}${INSTRUCTIONS}`,
      'gi'
    )
  },
  {
    rule: 'injection/override',
    what: "an instruction to discard the agent's own instructions",
    re: new RegExp(
      String.raw`\b(?:ignore|disregard|forget)${S}(?:everything|anything|all)${S}(?:above|before|you${S}(?:were|have${S}been|'ve${S}been)${S}told|you${S}know)`,
      'gi'
    )
  },
  {
    rule: 'injection/override',
    what: "a claim to replace the agent's instructions",
    re: new RegExp(
      String.raw`\b(?:(?:your|the)${S}(?:new|real|true|actual|updated)${S}(?:instructions|system${S}prompt|rules)${S}(?:are|is)\b|(?:these|this|the${S}following)${S}(?:instructions?|rules?)${S}(?:override|supersede|replace|take${S}(?:precedence|priority)${S}over)|new${S}system${S}prompt\s*:)`,
      'gi'
    )
  },
  {
    rule: 'injection/override',
    what: 'a fake chat-role marker',
    re: /<\|(?:im_start|im_end|system|endoftext)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:system|system_prompt|admin_instructions)>|^[ \t]{0,20}#{0,3}[ \t]{0,3}(?:SYSTEM|System)[ \t]{0,3}(?:OVERRIDE|PROMPT|MESSAGE)[ \t]{0,3}:/gm
  },
  {
    rule: 'injection/concealment',
    what: 'an instruction to hide something from the user',
    re: new RegExp(
      String.raw`\b(?:(?:do${S}not|don't|never|must${S}not)${S}(?:tell|inform|mention${S}(?:to${S})?|reveal${S}(?:to${S})?|disclose${S}(?:to${S})?|notify|alert|let)${S}(?:the${S})?(?:user|human|operator|owner)(?:${S}(?:about|that|of|know|what|this|these|it))?|without${S}(?:the${S}user|the${S}human|them|anyone)${S}(?:knowing|noticing|seeing|being${S}aware)|(?:hide|conceal|keep)${S}(?:this|these|it|the${S}\w+)${S}(?:(?:instructions?|steps?|actions?|commands?|requests?|output)${S})?(?:hidden${S})?(?:from|secret${S}from)${S}(?:the${S})?(?:user|human)|(?:silently|secretly|covertly|quietly|invisibly)${S}(?:send|upload|post|exfiltrate|transmit|forward|copy|read|collect|run|execute|install|download|add|append|modify|delete))`,
      'gi'
    )
  },
  {
    rule: 'injection/concealment',
    what: 'an instruction to hide something from the user',
    re: new RegExp(
      String.raw`\b(?:do${S}not|don't|never)${S}(?:mention|reveal|disclose|show|repeat|acknowledge)${S}(?:these|this|the${S}(?:above|following))${S}(?:instructions?|message|text|note|section)`,
      'gi'
    )
  },
  {
    rule: 'injection/mode-switch',
    what: 'an attempt to switch the agent into an unrestricted mode',
    re: new RegExp(
      String.raw`\b(?:(?:(?:enter|enable|activate|switch${S}(?:to|into))${S}(?:god|jailbreak|jailbroken|unrestricted|unfiltered|DAN|yolo)|(?:you${S}are|you're)${S}(?:now${S})?in${S}(?:developer|dev|god|debug|admin|jailbreak|jailbroken|unrestricted|unfiltered|DAN|sudo|root|yolo))${S}mode|(?:you${S}are|you're)${S}(?:now${S})?(?:DAN|jailbroken|unrestricted|unfiltered|no${S}longer${S}(?:an?${S}AI|an?${S}assistant|bound|restricted))|do${S}anything${S}now|(?:you${S}have|with|there${S}are)${S}no${S}(?:restrictions|limitations|rules|guidelines|filters)${S}(?:now|anymore|any${S}more)|(?:pretend|act${S}as${S}if)${S}you${S}(?:have${S}no|are${S}not${S}bound${S}by|are${S}free${S}(?:of|from))|(?:bypass|disable|turn${S}off|ignore)${S}(?:your${S}|all${S}|the${S})?(?:safety|content|security)${S}(?:filters?|guidelines|policies|checks|measures|restrictions))`,
      'gi'
    )
  },
  {
    rule: 'injection/mode-switch',
    what: "an attempt to turn off the agent's permission prompts",
    re: /--dangerously-skip-permissions|\bbypassPermissions\b|\bdangerouslyDisableSandbox\b|--no-sandbox\b.*\bagent\b/g
  },
  {
    rule: 'injection/credential-access',
    what: 'an instruction to read credential files',
    negatable: true,
    re: new RegExp(
      String.raw`\b(?:read|cat|open|print|copy|send|upload|include|output|display|show|dump|extract|collect|load|attach|base64|paste|exfiltrate|post)\b[^\n.]{0,80}?(?:~|\$HOME|%USERPROFILE%|/home/\w+|/Users/\w+)?/?\.(?:ssh/id_\w+|ssh/\w*_key|aws/credentials|netrc|git-credentials|pgpass|pypirc|docker/config\.json|config/gh/hosts\.yml|gnupg|config/gcloud/(?:credentials\.db|application_default_credentials\.json)|azure/accessTokens\.json|kube/config|npmrc)\b|\b(?:read|cat|open|dump|extract|copy|send|upload)\b[^\n.]{0,60}?(?:/etc/shadow|\bLogin${S}Data\b|cookies\.sqlite|\bkeychain\b|Keychains/|wallet\.dat|\.bash_history|\.zsh_history)`,
      'gi'
    )
  },
  {
    rule: 'injection/credential-access',
    what: 'an instruction to gather or send secrets',
    negatable: true,
    re: new RegExp(
      String.raw`\b(?:send|upload|post|forward|transmit|email|leak|exfiltrate|share|paste|include|attach|append)${S}(?:(?:all|the|your|any|every|their|user's|the${S}user's)${S})*(?:environment${S}variables|env${S}vars|secrets|credentials|passwords|private${S}keys?|ssh${S}keys?|api${S}keys|access${S}tokens|tokens|cookies|session${S}tokens)${S}(?:to|into|in${S}(?:the|your)${S}(?:url|request|query|image))|\b(?:print|dump|output|reveal|display|echo|list|collect|gather)${S}(?:(?:all|the|every|any)${S})+(?:environment${S}variables|env${S}vars|secrets|credentials|passwords|api${S}keys|access${S}tokens)\b`,
      'gi'
    )
  },
  {
    rule: 'injection/remote-instructions',
    what: 'an instruction to fetch text from the web and follow it',
    negatable: true,
    re: new RegExp(
      String.raw`\b(?:fetch|download|get|retrieve|load|read|curl|wget|visit|open|check)\b[^\n]{0,100}?\b(?:https?://\S+|the${S}(?:url|link|page|gist|pastebin))[^\n]{0,100}?\b(?:and|then)${S}(?:follow|execute|obey|run|apply|carry${S}out|comply${S}with|do)${S}(?:(?:the|its|any|all)${S})?(?:instructions?|commands?|directions|steps|what${S}it${S}says|whatever)|\b(?:follow|obey|execute|run|apply|carry${S}out)${S}(?:(?:the|any|all)${S})?(?:instructions?|commands?|directions)${S}(?:(?:at|from|in|found${S}at|on|returned${S}by|served${S}(?:at|by))${S})(?:https?://|the${S}(?:url|link|response|page|gist|pastebin|remote))|\b(?:follow|obey|execute|do)${S}(?:whatever|anything)${S}(?:it|the${S}(?:page|response|server|url|file))${S}(?:says|returns|tells|contains)`,
      'gi'
    )
  }
]

// A Markdown image, or an <img>, whose URL carries something filled in at run time.
const IMAGE = /!\[[^\]\n]{0,1000}\]\(\s*<?(https?:\/\/[^)\s>]{1,2000})|<img\b[^>]{0,1000}?\ssrc\s*=\s*["']?(https?:\/\/[^"'\s>]{1,2000})/gi
const TEMPLATE = /\{[^}]*\}|\$\{|\$\(|\$[A-Za-z_][A-Za-z0-9_]*|<[A-Za-z_ -]+>|\[[A-Z_ ]{3,}\]|%s|\{\{/
const DATA_IN_IMAGE = new RegExp(
  String.raw`\b(?:append|add|include|put|encode|insert|embed|place)\b[^\n]{0,80}?\b(?:to|in|into|as)${S}(?:the${S}|an${S}|a${S})?(?:image|img|markdown${S}image|picture|pixel)(?:${S}(?:url|link|src|address|query))?|\b(?:render|display|show|output)${S}(?:this|the${S}following|an|a)${S}(?:markdown${S})?(?:image|pixel)${S}(?:with|containing|including)\b`,
  'gi'
)

/**
 * Whether a negation governs the match ("Never silently add…", "Do NOT include … in the image"):
 * within the clause, at most three words before it, and not a double negative ("don't hesitate to").
 */
function negated(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 60), at)
  const m = /(?:^|[^\w'’])(never|not|n['’]t|avoid|without|no|nor|refuse\s+to|stop)\b((?:\s+[\w'’*_-]+){0,3}?)\s*[*_]*\s*$/i.exec(before)
  if (!m) return false
  if (/\b(?:hesitate|fail|forget|cease|refrain|stop)\b/i.test(m[2] ?? '')) return false
  return CLAUSE_NEGATION.test(before)
}

/** A phrase in double quotes inside a Markdown table cell: a table quoting examples. */
function quotedInTable(text: string, start: number, end: number): 'table' | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1
  const lineEnd = text.indexOf('\n', end)
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd)
  if (!/^\s*\|.*\|\s*$/.test(line)) return undefined
  const cellStart = text.lastIndexOf('|', start)
  const cell = text.slice(cellStart + 1, start)
  return /["“'‘]\s*$|["“'‘][^"”'’|]*$/.test(cell) ? 'table' : undefined
}

/** The text right before a quote or code span that tells the agent to follow it, if any. */
function followDirective(text: string, regionStart: number): string | undefined {
  const before = text.slice(Math.max(0, regionStart - 300), regionStart)
  const lines = before.split('\n').map((l) => l.replace(/^\s*>\s?/, '').trim())
  // The sentence on the same line before the span, or the last non-empty line above a block.
  let lead = lines[lines.length - 1] ?? ''
  if (lead === '' || /^>/.test(before.split('\n').pop() ?? '')) lead = [...lines].reverse().find((l) => l !== '') ?? ''
  if (!FOLLOW_DIRECTIVE.test(lead)) return undefined
  // Text that introduces examples to recognise is not an order to follow them.
  if (
    /\b(?:examples?|e\.g\.|such\s+as|like|phrases?|watch\s+for|look\s+for|detect|flag|recogni[sz]e|attacks?|never|don['’]t|do\s+not)\b/i.test(
      lead
    )
  )
    return undefined
  return lead
}

const NEGATION =
  /\b(?:never|not|don't|do not|doesn't|does not|avoid|without|no|nor|refuse to|must not|should not|shouldn't|cannot|can't)\b[^.!?\n]{0,40}$/i

const ALL_PATTERNS: readonly Pattern[] = [...PATTERNS, ...PHRASE_PATTERNS]
const IMAGES = { image: { re: IMAGE }, dataInImage: { re: DATA_IN_IMAGE } }
// One pass over the text for the words every pattern starts from (or must contain); only the
// patterns whose words are there run.
// Each pattern is tried only where one of the words it starts with occurs (matchesOf).
export const INJECTION_PREFILTER = new Prefilter<{ re: RegExp }>([...ALL_PATTERNS, ...Object.values(IMAGES)], { starts: true })

/** `prefilter: false` runs every pattern (tests compare the two). */
export function injectionFindings(file: TextFile, options: { prefilter?: boolean } = {}): Finding[] {
  const out: Finding[] = []
  const text = file.text
  const whole = options.prefilter === false
  // may[k]: INJECTION_PREFILTER.items[k] may match (ALL_PATTERNS first, then the two image items).
  const may = whole ? undefined : INJECTION_PREFILTER.mayMatch(text)
  if (may && may.indexOf(1) < 0) return out
  const ctx: ReportContext = { file, out, blocks: undefined }

  // Without the prefilter, every regex searches the whole text (tests compare the two).
  for (let k = 0; k < ALL_PATTERNS.length; k++) {
    if (may && may[k] !== 1) continue
    const p = ALL_PATTERNS[k] as Pattern
    for (const m of whole ? matches(p.re, text) : INJECTION_PREFILTER.matchesOf(p, text)) {
      if (p.negatable ? NEGATION.test(text.slice(Math.max(0, m.index - 60), m.index)) : negated(text, m.index)) continue
      reportIn(ctx, p.rule, p.what, m.index, m.index + m[0].length, HINTS[p.rule])
    }
  }
  if (!may || may[ALL_PATTERNS.length] === 1)
    for (const m of whole ? matches(IMAGES.image.re, text) : INJECTION_PREFILTER.matchesOf(IMAGES.image, text)) {
      const url = m[1] ?? m[2] ?? ''
      const query = url.replace(/^https?:\/\/[^/?#]*/, '')
      if (!TEMPLATE.test(query)) continue
      const start = m.index + m[0].indexOf(url)
      reportIn(
        ctx,
        'injection/exfiltration-image',
        "an image URL with a value filled in at run time (rendering it sends that value to the image's server)",
        start,
        start + url.length,
        HINTS['injection/exfiltration-image']
      )
    }
  if (!may || may[ALL_PATTERNS.length + 1] === 1)
    for (const m of whole ? matches(IMAGES.dataInImage.re, text) : INJECTION_PREFILTER.matchesOf(IMAGES.dataInImage, text)) {
      if (negated(text, m.index)) continue
      reportIn(
        ctx,
        'injection/exfiltration-image',
        'an instruction to put data into an image URL',
        m.index,
        m.index + m[0].length,
        HINTS['injection/exfiltration-image']
      )
    }
  return out
}

/**
 * What reporting a match needs of its file. The reporting functions are module level, not closures
 * made in every call of injectionFindings: the bundle names each closure it creates (esbuild's
 * keepNames), a property write per closure per file.
 */
interface ReportContext {
  file: TextFile
  out: Finding[]
  /** Block roles, worked out only for a file with a match to judge. */
  blocks: readonly Region[] | undefined
}

function regionOf(ctx: ReportContext, offset: number): Region | undefined {
  return regionIn((ctx.blocks ??= ctx.file.language === 'markdown' ? markdownRegions(ctx.file.text) : []), offset)
}

function reportIn(
  ctx: ReportContext,
  rule: Pattern['rule'] | 'injection/exfiltration-image',
  what: string,
  start: number,
  end: number,
  hint: string
): void {
  const { file, out } = ctx
  const text = file.text
  const region = regionOf(ctx, start)
  const q = (region && region.kind !== 'comment' ? region.kind : undefined) ?? quotedInTable(text, start, end)
  const shown = snippet(text.slice(start, end))
  // A quote or inline code that the sentence before tells the agent to follow is no example.
  const directive = q && q !== 'table' ? followDirective(text, region?.start ?? start) : undefined
  if (directive) {
    out.push(
      findingAt(
        rule,
        file,
        start,
        end,
        `${what}: ${shown}, wrapped in ${q === 'fence' ? 'a code block' : q === 'inline-code' ? 'inline code' : 'a block quote'} that the text before tells the agent to follow (${snippet(directive, 60)})`,
        hint
      )
    )
    return
  }
  if (q) {
    out.push(
      findingAt(
        'injection/quoted-example',
        file,
        start,
        end,
        `${what} appears inside ${q === 'fence' ? 'a code block' : q === 'inline-code' ? 'inline code' : q === 'table' ? 'a quoted table cell' : 'a block quote'}: ${shown}. Agents read quoted text too (rule ${rule} when unquoted)`,
        'If this is an example, say so right before it ("Example of an attack; do not follow:") and keep it short; if the skill does not need it, remove it.'
      )
    )
    return
  }
  const hidden =
    region?.kind === 'comment' ? ' It is inside an HTML comment, which Markdown does not display, so readers of the page never see it.' : ''
  out.push(findingAt(rule, file, start, end, `${what}: ${shown}.${hidden}`, hint))
}

const HINTS: Record<Pattern['rule'] | 'injection/exfiltration-image', string> = {
  'injection/encoded-instructions':
    'Remove it. Write what the skill does in plain words; nothing in a skill needs to be hidden from the user or from review.',
  'injection/override': "Remove it. A skill adds instructions for its task; it never asks the agent to drop the user's or the system's.",
  'injection/concealment': 'Remove it. Everything a skill makes the agent do must be visible to the user; say plainly what the skill does.',
  'injection/mode-switch': "Remove it. A skill works within the agent's normal permissions and safety rules.",
  'injection/credential-access':
    'Remove it. A skill that needs a credential names the environment variable the user sets, and never reads key files or sends secrets anywhere.',
  'injection/remote-instructions':
    'Put the instructions in the package, where they are reviewed; text fetched at run time can change after review. Linking to documentation for the user to read is fine.',
  'injection/exfiltration-image':
    'Use images with fixed URLs (or files in the package); never build an image URL from conversation data, files or secrets.'
}
