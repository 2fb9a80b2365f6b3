// Realistic marketplaces for the registry benchmarks, as one `git fast-import` stream each: ten
// packages per publisher, each with a manifest like the ones publishers write (tags, license,
// min_signet_version), a SKILL.md of a couple of KB of prose with frontmatter, and a tool script
// in a third of them (so a third are served as .tar.gz archives). The prose is drawn from a seeded
// generator so every run builds the same bytes, and no two packages share a SKILL.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PER_PUBLISHER, gitEnv, random } from './bench-packages.js'

const WORDS = (
  'the a review diff test change file branch commit merge request build deploy server client token ' +
  'config option value check report error warning step task agent skill tool prompt context user ' +
  'project module function class method name path folder output input result status log cache ' +
  'when then each every before after only never always first last new old small large fast slow ' +
  'read write run list find open close add remove update keep move copy print explain summarise ' +
  'carefully quickly clearly safely with without from into over under about for and or but not'
).split(' ')

function sentence(rnd: () => number): string {
  const n = 8 + Math.floor(rnd() * 12)
  const words: string[] = []
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rnd() * WORDS.length)] as string)
  const s = words.join(' ')
  return `${s[0]?.toUpperCase()}${s.slice(1)}.`
}

/** About `bytes` of Markdown prose in headed paragraphs. */
function prose(rnd: () => number, bytes: number): string {
  const parts: string[] = []
  let size = 0
  let section = 1
  while (size < bytes) {
    const para = Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => sentence(rnd)).join(' ')
    const block = rnd() < 0.25 ? `## Step ${section++}\n\n${para}` : rnd() < 0.2 ? `- ${sentence(rnd)}\n- ${sentence(rnd)}` : para
    parts.push(block)
    size += block.length + 2
  }
  return parts.join('\n\n')
}

export function manifest(name: string, version: string, entry: string, i: number): string {
  const tags = ['review', 'git', 'deploy', 'docs', 'testing', 'web', 'data', 'security'].filter((_, k) => (i + k) % 3 === 0)
  return (
    '# yaml-language-server: $schema=https://raw.githubusercontent.com/signetai/marketplace-actions/main/schemas/manifest.schema.json\n' +
    `name: ${name}\ntype: skill\nversion: "${version}"\n` +
    `description: Helps an agent with ${name.replace(/-/g, ' ')}, step by step, and reports what it changed.\n` +
    `tags: [${tags.join(', ')}]\nentrypoint: ${entry}\nmin_signet_version: "0.76.0"\nlicense: MIT\n`
  )
}

export function skillMd(name: string, seed: number, extra = ''): string {
  const rnd = random(seed)
  return `---\nname: ${name}\ndescription: Helps an agent with ${name.replace(/-/g, ' ')}. Use it when the user asks for it.\n---\n\n# ${name}\n\n${prose(rnd, 1800 + Math.floor(rnd() * 1400))}\n${extra}`
}

export function toolScript(name: string, seed: number): string {
  const rnd = random(seed ^ 0x5bd1e995)
  const lines = Array.from(
    { length: 20 + Math.floor(rnd() * 40) },
    (_, k) => `  // ${sentence(rnd)}\n  steps.push(${JSON.stringify(`step ${k}`)})`
  )
  return `// ${name}: the tool behind the skill.\nexport function run(input: string): string[] {\n  const steps: string[] = [input]\n${lines.join('\n')}\n  return steps\n}\n`
}

function inline(file: string, content: string): string[] {
  return [`M 100644 inline ${file}`, `data ${Buffer.byteLength(content)}`, content]
}

export interface FixtureRepo {
  dir: string
  /** The first commit: every package at 1.0.0. */
  base: string
  /** The second commit: package-0 bumped to 1.1.0 with a changed SKILL.md. */
  head: string
  /** Bytes of package files at the first commit. */
  bytes: number
}

export function packageName(i: number): { login: string; name: string; dir: string } {
  const login = `publisher-${Math.floor(i / PER_PUBLISHER)}`
  const name = `package-${i}`
  return { login, name, dir: `publishers/${login}/${name}` }
}

/** `size` packages at commit 1; package-0 bumped at commit 2. In a fresh temp folder (the caller removes it). */
export function buildFixtureRepo(size: number): FixtureRepo {
  const dir = mkdtempSync(path.join(tmpdir(), `mpa-bench-registry-${size}-`))
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: gitEnv })
  const first = ['commit refs/heads/main', 'committer b <b@b> 1700000000 +0000', 'data 4', 'base']
  let bytes = 0
  for (let i = 0; i < size; i++) {
    const { login, name, dir: pkgDir } = packageName(i)
    if (i % PER_PUBLISHER === 0)
      first.push(...inline(`publishers/${login}/profile.json`, `{"name":"${login}","url":"https://example.com/${login}"}\n`))
    const tool = i % 3 === 1
    const files: [string, string][] = [
      [`${pkgDir}/manifest.yaml`, manifest(name, '1.0.0', 'SKILL.md', i)],
      [`${pkgDir}/SKILL.md`, skillMd(name, i)]
    ]
    if (tool) files.push([`${pkgDir}/tool.ts`, toolScript(name, i)])
    for (const [file, content] of files) {
      bytes += Buffer.byteLength(content)
      first.push(...inline(file, content))
    }
  }
  const second = ['commit refs/heads/main', 'committer b <b@b> 1700000100 +0000', 'data 4', 'bump']
  const p0 = packageName(0)
  second.push(...inline(`${p0.dir}/manifest.yaml`, manifest(p0.name, '1.1.0', 'SKILL.md', 0)))
  second.push(...inline(`${p0.dir}/SKILL.md`, skillMd(p0.name, 0, '\nBetter instructions.\n')))
  const stream = `${[...first, ''].join('\n')}\n${second.join('\n')}\n\n`
  const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: stream, env: gitEnv, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`)
  execFileSync('git', ['-C', dir, 'checkout', '-q', '-f', 'main'], { env: gitEnv })
  const rev = (ref: string) => execFileSync('git', ['-C', dir, 'rev-parse', ref], { env: gitEnv }).toString().trim()
  return { dir, base: rev('main~1'), head: rev('main'), bytes }
}
