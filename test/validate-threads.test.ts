// validate on several threads (the safety scan's pool, src/core/checks/safety/threads.ts) as users
// run it: the bundled CLI (worker threads start only from bundled JavaScript), `validate --threads 2`
// against `--threads 1` on the same directory. The findings, their order, their positions and the
// report must be the same, with broken packages spread over the whole list so that both threads
// check some, and hostile inputs (alias bombs, binary and oversized files, links) keep their
// located findings on a helper thread. (Build the CLI bundle first: `npm run bundle -- cli`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLI_BUNDLE, REPO_ROOT, cleanEnv, runNode, runOnThreads } from './helpers/run-node.js'
import { manifestYaml, skillMd } from './helpers/marketplace.js'
import { MIN_PACKAGES_PER_VALIDATE_WORKER } from '../src/core/checks/validate/index.js'

interface Doc {
  findings: { rule: string; package?: string; file?: string; line?: number; column?: number; message: string }[]
  packages: { id: string; verdict: string; version?: string }[]
}

// Enough packages for one helper thread beside the calling one.
const PACKAGES = MIN_PACKAGES_PER_VALIDATE_WORKER + 37
const BOMB = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`

/** What package `i` gets instead of a clean manifest and SKILL.md, every 97th package; the rule prefix it must raise. */
const DEFECTS: [string, (dir: string, name: string) => void][] = [
  ['yaml/syntax', (dir, name) => writeFileSync(path.join(dir, 'manifest.yaml'), `${manifestYaml(name)}tags: [unclosed\n`)],
  ['yaml/alias-limit', (dir, name) => writeFileSync(path.join(dir, 'manifest.yaml'), `${manifestYaml(name)}${BOMB}`)],
  ['yaml/duplicate-key', (dir, name) => writeFileSync(path.join(dir, 'manifest.yaml'), `${manifestYaml(name)}name: ${name}\n`)],
  ['manifest/schema', (dir, name) => writeFileSync(path.join(dir, 'manifest.yaml'), manifestYaml(name, { version: 'one' }))],
  ['manifest/name-mismatch', (dir) => writeFileSync(path.join(dir, 'manifest.yaml'), manifestYaml('another-name'))],
  ['file/encoding', (dir) => writeFileSync(path.join(dir, 'manifest.yaml'), Buffer.from([0x6e, 0x61, 0xff, 0xfe, 0x00, 0x3a]))],
  [
    'file/too-large-to-parse',
    (dir, name) => writeFileSync(path.join(dir, 'manifest.yaml'), `${manifestYaml(name)}#${'x'.repeat(200_000)}\n`)
  ],
  ['skill/skill-md-missing', (dir) => rmSync(path.join(dir, 'SKILL.md'))],
  ['entrypoint/not-a-file', (dir) => (rmSync(path.join(dir, 'SKILL.md')), symlinkSync('/etc/passwd', path.join(dir, 'SKILL.md')))],
  ['yaml/syntax', (dir) => writeFileSync(path.join(dir, 'SKILL.md'), '---\nname: [broken\n---\n\nText.\n')]
]
const PLANTED: [string, string][] = []

let root: string
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'mpa-validate-threads-'))
  for (let i = 0; i < PACKAGES; i++) {
    const login = `pub-${Math.floor(i / 10)}`
    const name = `skill-${i}`
    const dir = path.join(root, 'publishers', login, name)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(root, 'publishers', login, 'profile.json'), JSON.stringify({ name: login, login }))
    writeFileSync(path.join(dir, 'manifest.yaml'), manifestYaml(name))
    writeFileSync(path.join(dir, 'SKILL.md'), skillMd(name))
    if (i % 97 === 0) {
      const [rule, plant] = DEFECTS[(i / 97) % DEFECTS.length] as (typeof DEFECTS)[number]
      plant(dir, name)
      PLANTED.push([rule, `${login}/${name}`])
    }
  }
})
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

const validate = (threads: number) => runOnThreads<Doc>('validate', root, threads)

describe('validate --threads', () => {
  it('reports the same findings, positions and packages, in the same order, on one thread and on two', async () => {
    const one = await validate(1)
    const two = await validate(2)
    expect(one.code).toBe(1)
    expect(two.code).toBe(1)
    expect(two.doc.findings).toEqual(one.doc.findings)
    expect(two.doc.packages).toEqual(one.doc.packages)
    expect(two.stdout).toBe(one.stdout)
    expect(two.doc.packages).toHaveLength(PACKAGES)
    // Every planted defect is found and located, and only the packages planted have findings.
    for (const [rule, pkg] of PLANTED) {
      const found = two.doc.findings.filter((f) => f.package === pkg && f.rule.startsWith(rule))
      expect({ pkg, rule, found: found.length > 0 }).toEqual({ pkg, rule, found: true })
      if (rule.startsWith('yaml/')) expect(found.every((f) => typeof f.line === 'number')).toBe(true)
    }
    expect(new Set(two.doc.findings.map((f) => f.package))).toEqual(new Set(PLANTED.map(([, pkg]) => pkg)))
  }, 300_000)

  it('starts a helper thread for two threads and none for one (a profile per thread)', () => {
    const threadsWith = (threads: number): number => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mpa-validate-threads-prof-'))
      try {
        try {
          execFileSync(
            process.execPath,
            ['--cpu-prof', `--cpu-prof-dir=${dir}`, CLI_BUNDLE, 'validate', '--root', root, '--threads', String(threads)],
            {
              env: cleanEnv(),
              stdio: 'ignore'
            }
          )
        } catch {
          // exit code 1: the planted defects
        }
        return readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).length
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    expect(threadsWith(1)).toBe(1)
    expect(threadsWith(2)).toBe(2)
  }, 300_000)

  it('refuses a thread count that is not a whole number', async () => {
    const r = await runNode(CLI_BUNDLE, ['validate', '--root', root, '--threads', 'two'], { cwd: REPO_ROOT, env: cleanEnv() })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--threads takes a whole number/)
  })
})
