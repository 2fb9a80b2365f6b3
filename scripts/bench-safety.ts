// `npm run bench:safety`: the secret scan against secretlint, on the same files, in the same run.
//
// secretlint's npm packages do not ship their test fixtures, so the corpus is generated here from
// the token formats that the rules of @secretlint/secretlint-rule-preset-recommend document
// (their README and source patterns): one planted secret per file, in the contexts secrets are
// committed in (.env, JSON, YAML, code, Markdown), plus clean files with the look-alikes honest
// packages hold (documented placeholders, hashes, UUIDs, publishable keys, `${VAR}` URLs).
// Both scanners get the same in-memory files: ours (findSecrets, and the whole safety scan) and
// secretlint's lintSource (the function its CLI runs per file) with the recommended preset.
// Detection: a planted file counts when the scanner reports anything in it; a clean file with a
// report is a false positive. Throughput: MB of file content per second, median of RUNS runs.
// The figures go to the "Secret detection" section of docs/benchmarks.md.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { lintSource } from '@secretlint/core'
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend'
import { makeTextFile } from '../src/core/checks/safety/file.js'
import { scanText } from '../src/core/checks/safety/index.js'
import { findSecrets } from '../src/core/checks/safety/secrets.js'
import { packageRef } from '../src/core/marketplace/paths.js'
import { writeBenchmarkSection } from './bench-common.js'

const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 12)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const CLEAN_FILES = Number(process.env.BENCH_CLEAN ?? 400)

// ---- random material, from node:crypto: every run plants new secrets ---------------------------
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const rand = (n: number, alphabet = ALNUM) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('')
const hex = (n: number) =>
  randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n)
const digits = (n: number) => rand(n, '0123456789')
const b64 = (n: number) => randomBytes(n).toString('base64')

interface Format {
  /** The secretlint rule that documents it. */
  rule: string
  name: string
  make: () => string
  /** Not a credential: we do not report it, on purpose. */
  notCredential?: boolean
  /** The file the format lives in, when its rule looks only there (secretlint reads `_authToken` in .npmrc only). */
  file?: string
}

const pem = (type: 'rsa' | 'ec' | 'ed25519', format: 'pkcs1' | 'sec1' | 'pkcs8') => {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519')
  return privateKey.export({ type: format, format: 'pem' }).toString()
}
const openssh = () =>
  `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----\n${`b3BlbnNzaC1rZXktdjE${b64(300)}`.match(/.{1,70}/g)?.join('\n')}\n-----END OPENSSH ${'PRIVATE'} KEY-----\n`

/** Real service-account tokens are base64 JSON ending in `fQ` (a lone `}`): pad inside the object to match. */
const padForFQ = (json: string) => `${json.slice(0, -1)}${' '.repeat((((1 - json.length) % 3) + 3) % 3)}}`

const FORMATS: Format[] = [
  { rule: 'aws', name: 'AWS access key id', make: () => `AWS_ACCESS_KEY_ID=${'AKIA'}${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}` },
  { rule: 'aws', name: 'AWS secret access key', make: () => `aws_secret_access_key = "${rand(40, `${ALNUM}/+`)}"` },
  { rule: 'aws', name: 'AWS account id', make: () => `AWS_ACCOUNT_ID="${digits(12)}"`, notCredential: true },
  {
    rule: 'gcp',
    name: 'GCP service account key',
    make: () =>
      JSON.stringify(
        {
          type: 'service_account',
          project_id: 'demo-project',
          private_key_id: hex(40),
          private_key: pem('rsa', 'pkcs8'),
          client_email: 'svc@demo-project.iam.gserviceaccount.com'
        },
        null,
        2
      )
  },
  { rule: 'privatekey', name: 'RSA private key (PKCS#1)', make: () => pem('rsa', 'pkcs1') },
  { rule: 'privatekey', name: 'EC private key (SEC1)', make: () => pem('ec', 'sec1') },
  { rule: 'privatekey', name: 'private key (PKCS#8)', make: () => pem('ed25519', 'pkcs8') },
  { rule: 'privatekey', name: 'OpenSSH private key', make: openssh },
  { rule: 'npm', name: 'npm access token', make: () => `//registry.npmjs.org/:_authToken=${'npm_'}${rand(36)}`, file: '.npmrc' },
  { rule: 'npm', name: 'npm legacy auth token', make: () => `//registry.npmjs.org/:_authToken=${randomUUID()}`, file: '.npmrc' },
  { rule: 'basicauth', name: 'basic auth in a URL', make: () => `REPO_URL=https://deploy:${rand(14)}@git.example.com/team/repo.git` },
  { rule: 'slack', name: 'Slack bot token', make: () => `SLACK_BOT_TOKEN=${'xoxb-'}${digits(12)}-${digits(13)}-${rand(24)}` },
  { rule: 'slack', name: 'Slack user token', make: () => `slack_token: ${'xoxp-'}${digits(12)}-${digits(12)}-${digits(13)}-${hex(32)}` },
  {
    rule: 'slack',
    name: 'Slack webhook URL',
    make: () =>
      `webhook = "https://hooks.slack.com/services/T${rand(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B${rand(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/${rand(24)}"`
  },
  {
    rule: 'sendgrid',
    name: 'SendGrid API key',
    make: () => `SENDGRID_API_KEY=${'SG.'}${rand(22, `${ALNUM}_-`)}.${rand(43, `${ALNUM}_-`)}`
  },
  { rule: 'shopify', name: 'Shopify access token', make: () => `shopify_token = "${'shpat_'}${hex(32)}"` },
  { rule: 'stripe', name: 'Stripe secret key', make: () => `STRIPE_SECRET_KEY=${'sk_live_'}${rand(99)}` },
  { rule: 'stripe', name: 'Stripe restricted key', make: () => `stripe.api_key = "${'rk_live_'}${rand(24)}"` },
  { rule: 'github', name: 'GitHub personal access token', make: () => `GITHUB_TOKEN=${'ghp_'}${rand(36)}` },
  { rule: 'github', name: 'GitHub OAuth token', make: () => `"token": "${'gho_'}${rand(36)}"` },
  { rule: 'github', name: 'GitHub fine-grained token', make: () => `token: ${'github_pat_'}${rand(22)}_${rand(59)}` },
  { rule: 'gitlab', name: 'GitLab personal access token', make: () => `GITLAB_TOKEN=${'glpat-'}${rand(20, `${ALNUM}_-`)}` },
  { rule: 'grafana', name: 'Grafana cloud token', make: () => `GRAFANA_TOKEN=${'glc_'}${b64(60).replace(/=+$/, '')}` },
  { rule: 'grafana', name: 'Grafana service account token', make: () => `grafana: ${'glsa_'}${rand(32)}_${hex(8)}` },
  {
    rule: 'openai',
    name: 'OpenAI project key',
    make: () => `OPENAI_API_KEY=${'sk-proj-'}${rand(74, `${ALNUM}_-`)}T3BlbkFJ${rand(74, `${ALNUM}_-`)}`
  },
  { rule: 'openai', name: 'OpenAI legacy key', make: () => `openai.api_key = "${'sk-'}${rand(20)}T3BlbkFJ${rand(20)}"` },
  { rule: 'anthropic', name: 'Anthropic API key', make: () => `ANTHROPIC_API_KEY=${'sk-ant-api03-'}${rand(93, `${ALNUM}_-`)}AA` },
  { rule: 'groq', name: 'Groq API key', make: () => `GROQ_API_KEY=${'gsk_'}${rand(52)}` },
  {
    rule: 'huggingface',
    name: 'Hugging Face token',
    make: () => `HF_TOKEN=${'hf_'}${rand(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`
  },
  { rule: 'linear', name: 'Linear API key', make: () => `LINEAR_API_KEY=${'lin_api_'}${rand(40)}` },
  { rule: 'notion', name: 'Notion integration token', make: () => `NOTION_TOKEN=${'ntn_'}${digits(11)}${rand(35)}` },
  {
    rule: '1password',
    name: '1Password service account token',
    make: () =>
      `OP_SERVICE_ACCOUNT_TOKEN=${'ops_'}${Buffer.from(padForFQ(JSON.stringify({ signInAddress: 'my.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: b64(16) }, email: `${hex(12)}@1passwordserviceaccounts.com`, srpX: hex(64), muk: { alg: 'A256GCM', ext: true, k: b64(32), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: `A3-${rand(6)}-${rand(6)}`, throttleSecret: { seed: hex(64), uuid: rand(26) }, deviceUuid: rand(26) }))).toString('base64')}`
  },
  {
    rule: 'database-connection-string',
    name: 'PostgreSQL URL with password',
    make: () => `DATABASE_URL=postgres://app:${rand(16)}@db.internal.example.com:5432/prod`
  },
  { rule: 'database-connection-string', name: 'MySQL URL with password', make: () => `dsn: mysql://root:${rand(12)}@10.0.0.12:3306/shop` },
  {
    rule: 'database-connection-string',
    name: 'MongoDB URL with password',
    make: () => `MONGO_URI=mongodb+srv://admin:${rand(16)}@cluster0.abcde.mongodb.net/app`
  },
  { rule: 'hashicorp-vault', name: 'Vault service token', make: () => `VAULT_TOKEN=${'hvs.'}${rand(95, `${ALNUM}_-`)}` },
  { rule: 'vercel', name: 'Vercel token', make: () => `VERCEL_TOKEN=${'vcp_'}${rand(40)}` },
  { rule: 'databricks', name: 'Databricks token', make: () => `DATABRICKS_TOKEN=${'dapi'}${hex(32)}` },
  { rule: 'docker', name: 'Docker Hub token', make: () => `DOCKER_TOKEN=${'dckr_pat_'}${rand(27, `${ALNUM}_-`)}` },
  { rule: 'figma', name: 'Figma token', make: () => `FIGMA_TOKEN=${'figd_'}${rand(40, `${ALNUM}_-`)}` },
  { rule: 'cloudflare', name: 'Cloudflare API token', make: () => `CLOUDFLARE_API_TOKEN=${'cfut_'}${rand(40)}${hex(8)}` },
  { rule: 'tailscale', name: 'Tailscale auth key', make: () => `TS_AUTHKEY=${'tskey-auth-'}${rand(17)}-${rand(33)}` }
]

/** The contexts secrets are committed in; the secret line is embedded in each. */
const CONTEXTS: ((secret: string) => [string, string])[] = [
  (s) => ['.env', `# local settings\nNODE_ENV=production\nPORT=8080\n${s}\nLOG_LEVEL=info\n`],
  (s) => [
    'config.md',
    `# Configuration\n\nSet the values below before running the tool.\n\n\`\`\`\n${s}\n\`\`\`\n\nThen run \`npm start\`.\n`
  ],
  (s) => [
    'deploy.sh',
    `#!/usr/bin/env bash\nset -euo pipefail\n# deploy credentials\n${s.includes('\n') ? `cat > key.pem <<'EOF'\n${s}EOF` : `export ${s.replace(/^export /, '')}`}\n./deploy --env prod\n`
  ],
  (s) => ['settings.yaml', `service: api\nregion: eu-west-1\nsecrets: |\n  ${s.split('\n').join('\n  ')}\nreplicas: 3\n`],
  (s) => ['client.py', `import os\n\n# TODO: move to the environment\nCONFIG = """\n${s}\n"""\n\ndef main():\n    print("ready")\n`]
]

// ---- clean files: what honest packages hold ---------------------------------------------------
const HONEST_DIR = path.join(process.cwd(), 'test', 'fixtures', 'honest')
const honestTexts = [
  'publishers/hana/git-changelog/SKILL.md',
  'publishers/hana/git-changelog/scripts/changelog.py',
  'publishers/omar/rtl-docs/SKILL.md',
  'publishers/omar/rtl-docs/scripts/check-links.sh',
  'publishers/lena/pages-deploy/SKILL.md',
  'publishers/lena/pages-deploy/tool.ts',
  'publishers/lena/pages-deploy/.env.example',
  'publishers/lena/weather-mcp/server.json',
  'publishers/sam/secret-hygiene/SKILL.md',
  'publishers/sam/secret-hygiene/references/patterns.md',
  'publishers/ines/api-reference/SKILL.md'
].map((p) => readFileSync(path.join(HONEST_DIR, p), 'utf8'))

const LOOKALIKES = (): string[] => [
  'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
  'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  `GITHUB_TOKEN=ghp_${'x'.repeat(36)}`,
  'OPENAI_API_KEY=<your-openai-key>',
  'SLACK_BOT_TOKEN=xoxb-your-bot-token',
  'DATABASE_URL=postgres://app:${DB_PASSWORD}@localhost:5432/app',
  'REDIS_URL=redis://localhost:6379/0',
  `STRIPE_PUBLISHABLE_KEY=pk_live_${rand(24)}`,
  `GOOGLE_CLIENT_ID=${digits(12)}-${rand(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com`,
  `commit ${hex(40)}`,
  `sha256: ${hex(64)}`,
  `"integrity": "sha512-${b64(64)}"`,
  `request_id = "${randomUUID()}"`,
  `role_arn = "arn:aws:iam::${digits(12)}:role/deploy"`,
  `password: ""`,
  `api_key: \${API_KEY}`,
  `token = os.environ["GITHUB_TOKEN"]`,
  `-----BEGIN ${'PRIVATE'} KEY-----\n...\n-----END ${'PRIVATE'} KEY-----`,
  `![logo](data:image/png;base64,${b64(120)})`
]

function cleanFile(i: number): [string, string] {
  const base = honestTexts[i % honestTexts.length] as string
  const extra = LOOKALIKES()
  const lines = base.split('\n')
  // Sprinkle look-alikes through a real file, a few per file, so context stays realistic.
  for (let k = 0; k < 4; k++) lines.splice((i * 7 + k * 13) % lines.length, 0, extra[(i + k * 5) % extra.length] as string)
  const ext = ['md', 'py', 'md', 'sh', 'md', 'ts', 'env', 'json', 'md', 'md', 'md'][i % honestTexts.length]
  return [`clean-${i}.${ext}`, `${lines.join('\n')}\n`]
}

// ---- the corpus ---------------------------------------------------------------------------------
interface CorpusFile {
  name: string
  content: string
  format?: Format
}
const corpus: CorpusFile[] = []
for (const format of FORMATS) {
  for (let v = 0; v < VARIANTS; v++) {
    const secret = format.make()
    const [name, content] = format.file
      ? [format.file, `registry=https://registry.npmjs.org/\n${secret}\n`]
      : (CONTEXTS[v % CONTEXTS.length] as (s: string) => [string, string])(secret)
    corpus.push({ name: `${format.rule}-${FORMATS.indexOf(format)}-${v}-${name}`, content, format })
  }
}
for (let i = 0; i < CLEAN_FILES; i++) {
  const [name, content] = cleanFile(i)
  corpus.push({ name, content })
}
const totalBytes = corpus.reduce((n, f) => n + Buffer.byteLength(f.content), 0)

// ---- the scanners -------------------------------------------------------------------------------
const pkg = packageRef('bench', 'corpus')
const ours = (f: CorpusFile) => findSecrets(f.content).length > 0
const oursFull = (f: CorpusFile) => {
  const file = makeTextFile(pkg, `${pkg.dir}/${f.name}`, f.content)
  return findSecrets(f.content).length + scanText(file).length
}
const secretlintConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] }
const secretlint = async (f: CorpusFile) => {
  const result = await lintSource({
    source: { filePath: `/corpus/${f.name}`, content: f.content, contentType: 'text' },
    options: { config: secretlintConfig, maskSecrets: true }
  })
  return result.messages.length > 0
}

async function time(run: () => Promise<void> | void): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await run()
    samples.push(performance.now() - t)
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number
}

const detected = { ours: new Map<CorpusFile, boolean>(), secretlint: new Map<CorpusFile, boolean>() }
for (const f of corpus) {
  detected.ours.set(f, ours(f))
  detected.secretlint.set(f, await secretlint(f))
}
const msOurs = await time(() => {
  for (const f of corpus) ours(f)
})
const msFull = await time(() => {
  for (const f of corpus) oursFull(f)
})
const msSecretlint = await time(async () => {
  for (const f of corpus) await secretlint(f)
})

// The same verdicts from secretlint's own CLI on the files written to disk: proof that lintSource
// is used the way secretlint uses it.
function secretlintCli(): { agrees: number; differs: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-bench-secretlint-'))
  try {
    mkdirSync(path.join(dir, 'corpus'))
    for (const f of corpus) writeFileSync(path.join(dir, 'corpus', f.name), f.content)
    writeFileSync(path.join(dir, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }))
    const bin = path.join(process.cwd(), 'node_modules', 'secretlint', 'bin', 'secretlint.js')
    const r = spawnSync(
      process.execPath,
      [bin, '--secretlintrc', path.join(dir, '.secretlintrc.json'), '--format', 'json', `${dir}/corpus/**/*`, `${dir}/corpus/.*`],
      { encoding: 'utf8', maxBuffer: 1 << 28 }
    )
    const flagged = new Set(
      (JSON.parse(r.stdout) as { filePath: string; messages: unknown[] }[])
        .filter((x) => x.messages.length)
        .map((x) => path.basename(x.filePath))
    )
    const differs = corpus.filter((f) => flagged.has(f.name) !== detected.secretlint.get(f)).map((f) => f.name)
    return { agrees: corpus.length - differs.length, differs }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const cli = secretlintCli()

/** Which look-alikes each scanner reports on their own (what its false positives are made of). */
const lookalikeRows: string[] = []
for (const line of LOOKALIKES()) {
  const f = { name: 'lookalike.txt', content: `${line}\n` }
  lookalikeRows.push(
    `| \`${line.split('\n')[0]?.replace(/[A-Za-z0-9+/]{24,}/g, (m) => `${m.slice(0, 8)}…`)}\` | ${ours(f) ? 'reported' : '-'} | ${(await secretlint(f)) ? 'reported' : '-'} |`
  )
}

// ---- figures --------------------------------------------------------------------------------------
const planted = corpus.filter((f) => f.format)
const credentials = planted.filter((f) => !f.format?.notCredential)
const clean = corpus.filter((f) => !f.format)
const count = (tool: 'ours' | 'secretlint', files: CorpusFile[]) => files.filter((f) => detected[tool].get(f)).length
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`
const mbps = (ms: number) => (totalBytes / 1e6 / (ms / 1000)).toFixed(1)

const rows = FORMATS.map((format) => {
  const files = planted.filter((f) => f.format === format)
  return `| ${format.name}${format.notCredential ? ' (not a credential)' : ''} | \`${format.rule}\` | ${count('ours', files)}/${files.length} | ${count('secretlint', files)}/${files.length} |`
})
const missedByUs = planted.filter((f) => !detected.ours.get(f) && !f.format?.notCredential).map((f) => f.name)
const fpOurs = clean.filter((f) => detected.ours.get(f)).map((f) => f.name)
const fpSecretlint = clean.filter((f) => detected.secretlint.get(f)).map((f) => f.name)

const today = new Date().toISOString().slice(0, 10)
const section = `## Secret detection against secretlint

Measured by \`npm run bench:safety\` (scripts/bench-safety.ts) on ${today}, Node ${process.version}, median of ${RUNS} runs.

secretlint's npm packages do not ship their test fixtures, so the corpus is **generated from the
token formats that the rules of \`@secretlint/secretlint-rule-preset-recommend\` document**: ${FORMATS.length}
formats × ${VARIANTS} files, each file one fresh random secret in a realistic context (.env, Markdown,
shell, YAML, Python), plus ${clean.length} clean files (the honest corpus with placeholders, hashes,
UUIDs, publishable keys and \`\${VAR}\` URLs sprinkled in). secretlint 13 runs on **the same
in-memory files in the same run**, through \`lintSource\` (what its CLI runs per file) with the
recommended preset. A planted file counts as found when the scanner reports anything in it; a clean
file with a report is a false positive.

| | marketplace-actions (secrets) | secretlint 13 (recommended preset) |
| --- | ---: | ---: |
| credentials found (${credentials.length} planted) | ${count('ours', credentials)} (${pct(count('ours', credentials), credentials.length)}) | ${count('secretlint', credentials)} (${pct(count('secretlint', credentials), credentials.length)}) |
| all planted values found (${planted.length}, AWS account ids included) | ${count('ours', planted)} (${pct(count('ours', planted), planted.length)}) | ${count('secretlint', planted)} (${pct(count('secretlint', planted), planted.length)}) |
| false positives (${clean.length} clean files) | ${fpOurs.length} | ${fpSecretlint.length} |
| throughput (${(totalBytes / 1e6).toFixed(2)} MB in ${corpus.length} files) | ${mbps(msOurs)} MB/s | ${mbps(msSecretlint)} MB/s |

The whole safety scan (secrets, hidden Unicode, injection, dangerous code, references, MCP
configs) runs at ${mbps(msFull)} MB/s on the same files.

Reading the figures:
- AWS account ids are planted because secretlint's aws rule documents them; this scanner does not
  report them on purpose (AWS documents account ids as identifiers, not secrets).
- secretlint scans AWS access key ids and account ids only with its \`enableIDScanRule\` option,
  which the recommended preset leaves off, and reads \`_authToken\` only in files named \`.npmrc\`
  (the npm formats are planted in such files). Both tools run as they come.
- secretlint's false positives come from the look-alikes it reports on their own (last table):
  documentation placeholders such as \`ghp_xxxx…\` and \`xoxb-your-bot-token\`.
- This scanner's patterns were written from the same provider documentation, so the figures
  measure coverage of these formats and resistance to look-alikes, not detection of formats nobody
  has written a pattern for. ${missedByUs.length ? `Credentials this scanner missed: ${missedByUs.join(', ')}.` : 'This scanner missed no planted credential.'}

secretlint's CLI, run on the same files written to disk, gave the same verdict as \`lintSource\` on
${cli.agrees} of ${corpus.length} files${cli.differs.length ? ` (differs on: ${cli.differs.join(', ')})` : ''}.

<details><summary>Per format</summary>

| format | secretlint rule | ours | secretlint |
| --- | --- | ---: | ---: |
${rows.join('\n')}

</details>

<details><summary>Look-alikes in the clean files, each scanned alone</summary>

| line | ours | secretlint |
| --- | --- | --- |
${lookalikeRows.join('\n')}

</details>
`

console.log(section)
// BENCH_DEBUG=DIR writes the files either scanner got wrong there, to look at.
if (process.env.BENCH_DEBUG) {
  for (const f of corpus) {
    const wrong = (tool: 'ours' | 'secretlint') => (f.format ? !f.format.notCredential && !detected[tool].get(f) : detected[tool].get(f))
    for (const tool of ['ours', 'secretlint'] as const)
      if (wrong(tool)) writeFileSync(path.join(process.env.BENCH_DEBUG, `${tool}-${f.name}`), f.content)
  }
}
if (fpOurs.length) console.log(`our false positives: ${fpOurs.join(', ')}`)
console.log(`secretlint false positives: ${fpSecretlint.length} files`)

writeBenchmarkSection('## Secret detection against secretlint', section)
console.log('written to docs/benchmarks.md')
