// Realistic packages for the benchmarks that time whole commands: a couple of KB of SKILL.md
// prose per package, a tool script in a third of them (Python, shell or TypeScript in turn), ten
// packages per publisher, each publisher with a profile. The text is drawn from a seeded random
// generator, so every run of a benchmark sees the same bytes, and no two packages are the same
// (git cannot fold them into one blob, as it would identical files).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const PER_PUBLISHER = 10

/** git without the user's config, with a fixed identity: benchmark repositories are disposable. */
export const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b'
}

/** A small deterministic generator (mulberry32): the same seed gives the same marketplace. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the a an each every this that your its their when before after while until unless because so then also only ' +
  'file files folder project repository branch commit diff change changes review test tests build release version ' +
  'issue pull request report summary table list step steps command commands option output input config setting ' +
  'user team owner reader writer agent model prompt answer question task plan draft note notes section heading ' +
  'read write check run open close keep skip ask tell show find fix add remove rename move update sort group ' +
  'clear short long careful exact plain simple small large new old first last next previous same other each ' +
  'error warning message line lines name names value values date time link links page pages document documents ' +
  'should must may can will would never always often usually first then finally instead rather quickly safely'
).split(' ')

const TOPICS = ['review', 'release', 'notes', 'lint', 'docs', 'sql', 'deploy', 'triage', 'search', 'translate', 'format', 'plan']

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)] as T
}

function sentence(rng: () => number): string {
  const n = 8 + Math.floor(rng() * 14)
  const words: string[] = []
  for (let i = 0; i < n; i++) words.push(pick(rng, WORDS))
  const text = words.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

function paragraph(rng: () => number): string {
  const n = 3 + Math.floor(rng() * 4)
  return Array.from({ length: n }, () => sentence(rng)).join(' ')
}

export interface GeneratedPackage {
  login: string
  name: string
  dir: string
  /** Path inside the package -> content. */
  files: Record<string, string>
}

export function publisherOf(i: number): string {
  return `publisher-${Math.floor(i / PER_PUBLISHER)}`
}

export function profile(login: string): string {
  return `${JSON.stringify({ name: `Publisher ${login}`, login }, null, 2)}\n`
}

const TOOLS: readonly [string, (name: string, rng: () => number) => string][] = [
  [
    'tool.py',
    (name, rng) =>
      `"""${sentence(rng)}"""\nimport json\nimport sys\n\n\ndef summarize(lines):\n    """${sentence(rng)}"""\n    counts = {}\n    for line in lines:\n        key = line.strip().split(" ")[0] if line.strip() else ""\n        counts[key] = counts.get(key, 0) + 1\n    return counts\n\n\nif __name__ == "__main__":\n    print(json.dumps({"tool": "${name}", "counts": summarize(sys.stdin.readlines())}))\n`
  ],
  [
    'tool.sh',
    (name, rng) =>
      `#!/bin/sh\n# ${sentence(rng)}\nset -eu\nout="\${1:-report.txt}"\necho "${name}: counting lines" >&2\nfor f in *.md; do\n  [ -f "$f" ] || continue\n  printf '%s %s\\n' "$(wc -l < "$f")" "$f"\ndone > "$out"\n`
  ],
  [
    'tool.ts',
    (name, rng) =>
      `// ${sentence(rng)}\nexport interface Options {\n  limit: number\n  labels: string[]\n}\n\nexport function ${name.replace(/-/g, '_')}(items: string[], options: Options): string[] {\n  return items.filter((item) => options.labels.some((l) => item.includes(l))).slice(0, options.limit)\n}\n`
  ]
]

/** Package `i` (0-based) of a marketplace, at `version`. */
export function generatePackage(i: number, version = '1.0.0', seed = 1): GeneratedPackage {
  const rng = random(seed * 1_000_003 + i)
  const login = publisherOf(i)
  const topic = pick(rng, TOPICS)
  const name = `${topic}-${i}`
  const description = sentence(rng).slice(0, 180)
  const tags = [topic, pick(rng, TOPICS)].filter((t, k, all) => all.indexOf(t) === k)
  const manifest =
    `# yaml-language-server: $schema=https://raw.githubusercontent.com/signetai/marketplace-actions/main/schemas/manifest.schema.json\n` +
    `name: ${name}\ntype: skill\nversion: "${version}"\ndescription: ${JSON.stringify(description)}\n` +
    `tags: [${tags.join(', ')}]\nentrypoint: SKILL.md\nlicense: MIT\n`
  const sections: string[] = []
  // A couple of KB of prose: an intro, three sections, a list and a short code block.
  sections.push(`# ${topic} helper ${i}\n\n${paragraph(rng)}\n\n${paragraph(rng)}`)
  sections.push(`## When to use\n\n${paragraph(rng)}\n\n${paragraph(rng)}`)
  sections.push(`## Steps\n\n${Array.from({ length: 5 }, (_, k) => `${k + 1}. ${sentence(rng)}`).join('\n')}`)
  sections.push(`## Example\n\n\`\`\`sh\ngit diff --stat main...HEAD\ngit log --oneline -5\n\`\`\`\n\n${paragraph(rng)}`)
  const skill = `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n---\n\n${sections.join('\n\n')}\n`
  const files: Record<string, string> = { 'manifest.yaml': manifest, 'SKILL.md': skill }
  if (i % 3 === 1) {
    const [file, make] = TOOLS[Math.floor(i / 3) % TOOLS.length] as (typeof TOOLS)[number]
    files[file] = make(name, rng)
  }
  return { login, name, dir: `publishers/${login}/${name}`, files }
}

/** A fast-import `M` command with its inline data. */
function inline(file: string, content: string): string {
  return `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`
}

/** The file commands that add packages `from` .. `to - 1`, with the profiles of publishers they start. */
export function packageCommands(from: number, to: number, version = '1.0.0'): string {
  const out: string[] = []
  for (let i = from; i < to; i++) {
    const pkg = generatePackage(i, version)
    if (i % PER_PUBLISHER === 0 || i === from) out.push(inline(`publishers/${pkg.login}/profile.json`, profile(pkg.login)))
    for (const [file, content] of Object.entries(pkg.files)) out.push(inline(`${pkg.dir}/${file}`, content))
  }
  return out.join('')
}

/** One commit on `branch` (its first parent `from` when given) with the given file commands. */
export function commitCommand(branch: string, time: number, message: string, commands: string, from?: string): string {
  return (
    `commit refs/heads/${branch}\ncommitter b <b@b> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n` +
    (from ? `from ${from}\n` : '') +
    commands +
    '\n'
  )
}

/** A new repository in a temp dir, filled by one fast-import stream. */
export function importRepo(prefix: string, stream: string): string {
  const dir = path.join(tmpdir(), `${prefix}-${process.pid}-${Date.now()}`)
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: gitEnv })
  const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: stream, env: gitEnv, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr.toString()}`)
  return dir
}

export function revParse(dir: string, ref: string): string {
  return execFileSync('git', ['-C', dir, 'rev-parse', ref], { env: gitEnv }).toString().trim()
}

/** Writes packages `from` .. `to - 1` and their profiles as plain files under `root`. */
export function writePackages(root: string, from: number, to: number): number {
  let bytes = 0
  for (let i = from; i < to; i++) {
    const pkg = generatePackage(i)
    const dir = path.join(root, pkg.dir)
    mkdirSync(dir, { recursive: true })
    if (i % PER_PUBLISHER === 0 || i === from) writeFileSync(path.join(root, 'publishers', pkg.login, 'profile.json'), profile(pkg.login))
    for (const [file, content] of Object.entries(pkg.files)) {
      writeFileSync(path.join(dir, file), content)
      bytes += Buffer.byteLength(content)
    }
  }
  return bytes
}
