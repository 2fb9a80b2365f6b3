// Secrets committed into a package: tokens recognised by their documented structure (a prefix and
// a body of a fixed alphabet and length), private-key blocks, credentials inside URLs and
// connection strings, and, for values assigned to a secret-sounding name, a high-entropy test.
// A secret never appears in any output: findings show its first few characters and its length.
import type { Finding } from '../../findings/findings.js'
import { maskSecret } from '../../findings/redact.js'
import { allMatches, findingAt, matches, type TextFile } from './file.js'
import { connectionStringSecrets, isCodeExpression, isDemoHost, isTypedSequence } from './secret-context.js'
import { Prefilter } from './prefilter.js'
import { infixMatches, infixSearch, type InfixSearch } from './infix-search.js'

export type SecretRule = 'secret/token' | 'secret/private-key' | 'secret/url-credentials' | 'secret/connection-string' | 'secret/generic'

export interface SecretHit {
  rule: SecretRule
  /** What was found, for the message: "GitHub personal access token". */
  kind: string
  /** Offsets of the secret itself in the text. */
  start: number
  end: number
  value: string
}

interface TokenPattern {
  kind: string
  re: RegExp
  /** Capture group holding the secret (default: the whole match). */
  group?: number
  /** Searched only around this infix of its matches (infix-search.ts), for a regex that starts with a class. */
  infix?: InfixSearch
}

// Boundaries: a token is not part of a longer word. Bodies follow each provider's documented format.
const B = '(?<![A-Za-z0-9_])'
const E = '(?![A-Za-z0-9_])'
const t = (kind: string, body: string, group?: number): TokenPattern => ({
  kind,
  re: new RegExp(`${B}${body}${E}`, 'g'),
  ...(group ? { group } : {})
})

/**
 * A Discord bot token: it starts with a class, so a whole-text search tries it at every M, N and O;
 * its first dot, after 24 to 26 characters of [A-Za-z0-9_-], starts `.xxxxxx.`.
 */
function discordBotToken(): TokenPattern {
  const p = t('Discord bot token', '[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}')
  // Only dots with another dot 7 further on can start `.xxxxxx.`: most dots end a sentence.
  return { ...p, infix: infixSearch(p.re, { literal: '.', confirm: dotPair, min: 24, max: 26, run: /[A-Za-z0-9_-]/ }) }
}

/** A dot at `at` and another 7 code units on, as in a Discord bot token's `.xxxxxx.`. */
function dotPair(text: string, at: number): boolean {
  return text.charCodeAt(at + 7) === 46
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  // Cloud
  t('AWS access key id', '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}'),
  {
    kind: 'AWS secret access key',
    re: /(?:aws)?_?(?:secret)_?(?:access)_?(?:key)["'`]?\s*(?:=|:|:=|=>)\s*["'`]?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1
  },
  t('Google API key', 'AIza[0-9A-Za-z_-]{35}'),
  t('Google OAuth client secret', 'GOCSPX-[A-Za-z0-9_-]{28}'),
  t('Azure AD client secret', '[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}'),
  t('DigitalOcean token', 'do[por]_v1_[a-f0-9]{64}'),
  t('Cloudflare API token', '(?:cfk|cfut|cfat)_[A-Za-z0-9]{40}[0-9a-f]{8}'),
  t('HashiCorp Vault token', 'hv[sbr]\\.[A-Za-z0-9_-]{90,300}'),
  t('Terraform Cloud token', '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'),
  t('Databricks token', 'dapi[a-f0-9]{32}(?:-\\d)?'),
  t('Heroku API key', 'HRKU-[A-Za-z0-9_-]{60}'),
  t('Vercel token', 'vc[pikar]_[A-Za-z0-9]{20,60}'),
  t('Supabase token', 'sbp_[a-f0-9]{40}'),
  t('PlanetScale token', 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_.-]{32,64}'),
  t('Doppler token', 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'),
  t('Grafana token', '(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})'),
  t('Tailscale key', 'tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,60}'),
  t('1Password service account token', 'ops_ey[A-Za-z0-9+/=]{100,1280}'),
  t('Sentry token', 'sntry[su]_[A-Za-z0-9+/=_]{60,}'),
  t('New Relic key', 'NRAK-[A-Z0-9]{27}'),
  // Version control
  t('GitHub token', '(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}'),
  t('GitHub fine-grained token', 'github_pat_[A-Za-z0-9_]{50,255}'),
  t('GitLab token', '(?:glpat|gldt|glrt|glptt|glcbt|glimt|glft|glsoat|glagent|gloas)-[A-Za-z0-9_-]{20,128}'),
  t('GitLab runner token', 'GR1348941[A-Za-z0-9_-]{20}'),
  t('Bitbucket app password', 'ATBB[A-Za-z0-9_=.-]{32}'),
  t('Atlassian API token', 'ATATT3[A-Za-z0-9_=.-]{180,}'),
  // AI providers
  t('Anthropic API key', 'sk-ant-(?:api|admin|oat|sid)\\d\\d-[A-Za-z0-9_-]{80,130}'),
  t('OpenAI API key', 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}'),
  t('OpenAI API key', 'sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}'),
  t('OpenAI API key', 'sk-[A-Za-z0-9]{48}'),
  t('OpenRouter API key', 'sk-or-v1-[a-f0-9]{64}'),
  t('Groq API key', 'gsk_[A-Za-z0-9]{52}'),
  t('Hugging Face token', 'hf_[A-Za-z]{34}'),
  t('Replicate token', 'r8_[A-Za-z0-9]{37}'),
  t('xAI API key', 'xai-[A-Za-z0-9]{70,90}'),
  t('Perplexity API key', 'pplx-[A-Za-z0-9]{48}'),
  // Chat and mail
  t('Slack token', 'xox[abposr]-(?:\\d-)?(?:[A-Za-z0-9]{1,40}-)+[A-Za-z0-9]{1,40}'),
  t('Slack app token', 'xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]+'),
  {
    kind: 'Slack webhook URL',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Za-z0-9_]{1,40}\/[A-Za-z0-9_/]{10,}/g
  },
  { kind: 'Discord webhook URL', re: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/[A-Za-z0-9_-]{40,}/g },
  discordBotToken(),
  t('Telegram bot token', '\\d{8,10}:AA[A-Za-z0-9_-]{33}'),
  t('SendGrid API key', 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'),
  t('Mailchimp API key', '[0-9a-f]{32}-us\\d{1,2}'),
  t('Linear API key', 'lin_api_[A-Za-z0-9_]{32,128}'),
  t('Notion token', '(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})'),
  t('Figma token', 'figd_[A-Za-z0-9_-]{40,200}'),
  t('Postman API key', 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}'),
  // Payments
  t('Stripe key', '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,99}'),
  t('Stripe webhook secret', 'whsec_[A-Za-z0-9]{32,}'),
  t('Square token', 'sq0(?:atp|csp|idp)-[A-Za-z0-9_-]{22,43}'),
  t('Braintree token', 'access_token\\$production\\$[a-z0-9]{16}\\$[a-f0-9]{32}'),
  t('Shopify token', 'shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,64}'),
  // Package registries
  t('npm token', 'npm_[A-Za-z0-9]{36}'),
  { kind: 'npm auth token', re: /_auth(?:Token)?\s*=\s*(?!\$\{)["']?([A-Za-z0-9+/=_.-]{16,})/g, group: 1 },
  t('PyPI token', 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}'),
  t('RubyGems key', 'rubygems_[a-f0-9]{48}'),
  t('Docker Hub token', 'dckr_pat_[A-Za-z0-9_-]{27}'),
  t('NuGet key', 'oy2[a-z0-9]{43}'),
  t('crates.io token', 'cio[A-Za-z0-9]{32}')
]

/**
 * Obvious placeholders in documentation: not secrets. A `$name` is a variable reference only where
 * a name can start (not after a letter or digit): Braintree's tokens carry `$production$` inside
 * them, which is not a reference to anything.
 */
const PLACEHOLDER =
  /example|sample|dummy|placeholder|redacted|changeme|change_me|your[-_ ]?|xxxx|\*{3}|\.{3}|…|<[^>]*>|\$\{|\{\{|%s|(?<![A-Za-z0-9])\$[A-Z_]{2,}|\[[A-Z_ ]+\]|^(?:pass(?:word)?|secret|token|test|foo|bar|admin|user)$/i

/** Runs no generator produces by chance: `000000`, `123456789`, `abcdefgh`. */
const SEQUENCE = /(.)\1{5,}|0123456|123456789|abcdefgh|ABCDEFGH/

export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER.test(value) || SEQUENCE.test(value) || isTypedSequence(value)) return true
  // `aaaaaaaa…`, `12345678…`: too few distinct characters for a generated secret.
  const distinct = new Set(value).size
  return value.length >= 8 && distinct <= Math.max(3, value.length / 10)
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>()
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / value.length
    bits -= p * Math.log2(p)
  }
  return bits
}

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/g

// scheme://user:password@host — the password is the secret.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,30}):\/\/([^\s:/@"'`<>]{1,256}):([^\s/@"'`<>]{1,256})@[^\s/?#"'`<>]+/gi
// Its scheme (2 to 31 characters of [a-z0-9+.-]) ends at `://`: tried only before each `://`.
export const URL_CREDENTIALS_SEARCH = infixSearch(URL_CREDENTIALS, { literal: '://', min: 2, max: 31, run: /[A-Za-z0-9+.-]/ })
const BASIC_AUTH = /\bAuthorization["']?\s*[:=]\s*["']?Basic\s+([A-Za-z0-9+/]{8,}={0,2})/gi
// A secret-sounding name assigned a literal: password = "…", "api_key": "…", TOKEN=…
const ASSIGNMENT =
  /(?<![A-Za-z0-9])([A-Za-z0-9_.-]{0,40}(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?key|credentials?))["'`]?\s*(?::=|=>|=|:)\s*(["'`]?)([^\s"'`,;)]{12,200})\2/gi

// Every regex below, in one prefilter: a file is scanned once for all their anchors (`ghp_`,
// `://`, `password`...), and only the regexes whose anchors it holds run.
const OTHER_PATTERNS = {
  privateKey: { re: PRIVATE_KEY_BEGIN },
  url: { re: URL_CREDENTIALS },
  basicAuth: { re: BASIC_AUTH },
  assignment: { re: ASSIGNMENT }
}
export const SECRET_PREFILTER = new Prefilter<{ re: RegExp }>([...TOKEN_PATTERNS, ...Object.values(OTHER_PATTERNS)])
// Their places in SECRET_PREFILTER.items, for its flags (mayMatch): TOKEN_PATTERNS come first.
const PRIVATE_KEY_AT = SECRET_PREFILTER.items.indexOf(OTHER_PATTERNS.privateKey)
const URL_AT = SECRET_PREFILTER.items.indexOf(OTHER_PATTERNS.url)
const BASIC_AUTH_AT = SECRET_PREFILTER.items.indexOf(OTHER_PATTERNS.basicAuth)
const ASSIGNMENT_AT = SECRET_PREFILTER.items.indexOf(OTHER_PATTERNS.assignment)

/**
 * Adds a hit that overlaps none already found. Module level, not a closure in findSecrets: the
 * bundle names every closure it creates (esbuild's keepNames), a property write per call.
 */
function pushUnlessOverlapping(hits: SecretHit[], hit: SecretHit): void {
  if (!hits.some((h) => hit.start < h.end && h.start < hit.end)) hits.push(hit)
}

/** A token pattern's match, added unless it is a placeholder (module level: see pushUnlessOverlapping). */
function tokenHit(hits: SecretHit[], p: TokenPattern, m: RegExpExecArray): void {
  const value = p.group ? m[p.group] : m[0]
  if (!value) return
  const start = m.index + (p.group ? m[0].lastIndexOf(value) : 0)
  if (isPlaceholder(value)) return
  pushUnlessOverlapping(hits, { rule: 'secret/token', kind: p.kind, start, end: start + value.length, value })
}

/**
 * `docs`: the text is documentation (Markdown), where `--password=…` is a command line shown to the reader.
 * `prefilter: false` runs every regex (tests compare the two).
 */
export function findSecrets(text: string, options: { docs?: boolean; prefilter?: boolean } = {}): SecretHit[] {
  const hits: SecretHit[] = []
  // may[k]: SECRET_PREFILTER.items[k] may match (flags, not a set of candidates made per file).
  const may = options.prefilter === false ? undefined : SECRET_PREFILTER.mayMatch(text)

  if (!may || may[PRIVATE_KEY_AT] === 1)
    for (const begin of matches(PRIVATE_KEY_BEGIN, text)) {
      const endMarker = text.indexOf('-----END', begin.index + begin[0].length)
      const stop = endMarker < 0 ? Math.min(text.length, begin.index + 8000) : endMarker
      const body = text.slice(begin.index + begin[0].length, stop)
      // A real key has a base64 body; documentation shows `...` or nothing between the markers.
      // Drop headers (Proc-Type: ...), JSON/JS string joins and escaped newlines, keep the base64.
      const base64 = body.replace(/^\s*(?:[A-Za-z-]+:[^\n]*\n)+/, '').replace(/\\[nr]|["'`]\s*\+?\s*["'`]|\s|["',]/g, '')
      // An Ed25519 key's body is 64 characters; documentation shows `...` or a short stub.
      if (/^[A-Za-z0-9+/=]{40,}/.test(base64) && !isPlaceholder(base64.slice(0, 64))) {
        const end = endMarker < 0 ? stop : text.indexOf('-----', endMarker + 8) + 5
        pushUnlessOverlapping(hits, {
          rule: 'secret/private-key',
          kind: `${begin[1] ?? ''}private key`.trim(),
          start: begin.index,
          end: Math.max(end, stop),
          value: text.slice(begin.index, Math.max(end, stop))
        })
      }
    }

  for (let k = 0; k < TOKEN_PATTERNS.length; k++) {
    if (may && may[k] !== 1) continue
    const p = TOKEN_PATTERNS[k] as TokenPattern
    // Index loops over arrays, not for-of over a generator or an array by turns: one kind of
    // iteration in this hot function. `prefilter: false` searches the whole text (tests compare).
    const found = p.infix && may ? infixMatches(p.infix, text) : allMatches(p.re, text)
    for (let j = 0; j < found.length; j++) tokenHit(hits, p, found[j] as RegExpExecArray)
  }

  if (!may || may[URL_AT] === 1) {
    const found = may ? infixMatches(URL_CREDENTIALS_SEARCH, text) : allMatches(URL_CREDENTIALS, text)
    for (let j = 0; j < found.length; j++) {
      const m = found[j] as RegExpExecArray
      const [, scheme = '', user = '', password = ''] = m
      // GitHub's `https://<token>:x-oauth-basic@github.com`: the user part is the secret.
      const secret = password === 'x-oauth-basic' ? user : password
      if (isPlaceholder(secret) || isPlaceholder(user + ':' + secret) || secret.length < 3) continue
      // A demo URL: the reader's own machine, a container on a compose network, an example domain,
      // or a password that repeats the user name (`postgres:postgres@db`).
      const host = m[0].slice(m[0].lastIndexOf('@') + 1)
      if (isDemoHost(host, options) || secret === user) continue
      const start = m.index + scheme.length + 3 + (secret === user ? 0 : user.length + 1)
      pushUnlessOverlapping(hits, {
        rule: 'secret/url-credentials',
        kind: `${scheme}:// URL with a password`,
        start,
        end: start + secret.length,
        value: secret
      })
    }
  }
  // Only a real `key=value;` connection string with a server or account beside the password: a
  // `--password=` flag on a documented command line or `$password = Read-Host` is not one.
  for (const c of connectionStringSecrets(text)) {
    if (isPlaceholder(c.value) || /^[{$%<[]/.test(c.value)) continue
    pushUnlessOverlapping(hits, {
      rule: 'secret/connection-string',
      kind: `connection-string ${c.key}`,
      start: c.start,
      end: c.end,
      value: c.value
    })
  }
  if (!may || may[BASIC_AUTH_AT] === 1)
    for (const m of matches(BASIC_AUTH, text)) {
      const value = m[1] ?? ''
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      if (!/^[^:\s]+:\S{3,}$/.test(decoded) || isPlaceholder(decoded)) continue
      const start = m.index + m[0].lastIndexOf(value)
      pushUnlessOverlapping(hits, {
        rule: 'secret/url-credentials',
        kind: 'HTTP Basic credentials',
        start,
        end: start + value.length,
        value
      })
    }

  if (!may || may[ASSIGNMENT_AT] === 1)
    for (const m of matches(ASSIGNMENT, text)) {
      const value = m[3] ?? ''
      // Unquoted, a value followed by `(` or `.` is code (`credential = DefaultAzureCredential()`,
      // `token = tokenizer.convert_ids_to_tokens(ids)`), not a literal.
      if (!m[2] && (isCodeExpression(value) || /^[(.[]/.test(text.slice(m.index + m[0].length)))) continue
      // A command-line flag in documentation is a command shown to the reader, filled with their own value.
      if (options.docs && /^-/.test(m[1] ?? '')) continue
      const start = m.index + m[0].lastIndexOf(value)
      if (looksGenerated(value))
        pushUnlessOverlapping(hits, { rule: 'secret/generic', kind: `value of \`${m[1]}\``, start, end: start + value.length, value })
    }
  return hits.sort((a, b) => a.start - b.start)
}

/** A literal that reads like a generated secret, not a name, a path, a URL or a reference. */
function looksGenerated(value: string): boolean {
  if (isPlaceholder(value)) return false
  if (/:\/\/|^[./~]|^(?:process\.env|os\.environ|env\.|secrets\.|vars\.|getenv|self\.|this\.|config\.)/i.test(value)) return false
  if (/^[a-z]+(?:[_.-][a-z]+)*$/.test(value) || /^(?:[A-Za-z][a-z]+)+$/.test(value)) return false // my-secret-name, settings.api_key, MySecretName
  if (/^[A-Z0-9_]+$/.test(value) && /_/.test(value)) return false // GITHUB_TOKEN as a name
  if (/^[A-Za-z_$][A-Za-z_$]*\d{0,2}(?:\.[A-Za-z_$][A-Za-z_$]*\d{0,2})+\(?$/.test(value)) return false // jsTokens.matchToToken
  // Generated secrets mix character classes: digits and letters, or both letter cases at length.
  const mixed = (/[0-9]/.test(value) && /[A-Za-z]/.test(value)) || (/[a-z]/.test(value) && /[A-Z]/.test(value) && value.length >= 20)
  return mixed && value.length >= 16 && entropy(value) >= 3.5
}

export function secretFindings(file: TextFile, hits: readonly SecretHit[]): Finding[] {
  return hits.map((h) => {
    const masked = maskSecret(h.value)
    switch (h.rule) {
      case 'secret/private-key':
        return findingAt(
          h.rule,
          file,
          h.start,
          h.start + 1,
          `a ${h.kind} block (${h.value.length} chars) is committed in the package`,
          "Remove the key, and treat it as compromised: generate a new one. Skills read keys from the user's own files or environment at run time."
        )
      case 'secret/url-credentials':
        return findingAt(
          h.rule,
          file,
          h.start,
          h.end,
          `${h.kind}: ${masked}`,
          'Remove the password from the URL and read it from an environment variable (for example `${DATABASE_URL}`); rotate the password, since it is in the git history.'
        )
      case 'secret/connection-string':
        return findingAt(
          h.rule,
          file,
          h.start,
          h.end,
          `a connection string with a literal secret (${h.kind}): ${masked}`,
          'Read the whole connection string from an environment variable or a secret store (for example `os.environ["DB_CONNECTION"]`), and rotate the password: it stays in the git history.'
        )
      case 'secret/generic':
        return findingAt(
          h.rule,
          file,
          h.start,
          h.end,
          `a secret-looking literal is assigned as the ${h.kind}: ${masked}`,
          'Read the value from an environment variable instead; if it is a real credential, revoke it, since it stays in the git history. Use an obvious placeholder such as `<your-token>` in examples.'
        )
      default:
        return findingAt(
          h.rule,
          file,
          h.start,
          h.end,
          `${h.kind}: ${masked}`,
          "Revoke the token now (it is in the git history and was visible in the pull request), and have the skill read a token from the user's environment instead."
        )
    }
  })
}
