/**
 * The safety regression corpus (test/fixtures/safety-corpus): honest real-world shapes that must
 * pass the review without an error, and hostile packages, one attack class each, that must fail
 * with the rule their expect.json names.
 *
 *   honest/<case>/package/…        the package's files (manifest.yaml included)
 *   honest/<case>/expect.json      {"shape": "what real-world shape this is"}
 *   hostile/<case>/package/…
 *   hostile/<case>/expect.json     {"class", "rule", "severity"?, "note"?, "generated"?, "history"?,
 *                                   "author"?, "others"?, "max"?}
 *
 * Each case is reviewed alone, as `publishers/corpus/<case>/` of a fresh marketplace: from a
 * directory with the validate and safety checks, or, when the case needs a history (earlier
 * versions, another publisher's package, a pull-request author), from a real git repository with
 * every review check. `generated` files are written at run time because git cannot hold them
 * (`.GIT/`, names with newlines); such cases are read from a directory.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Finding } from '../../src/core/findings/findings.js'
import { REVIEW_CHECKS } from '../../src/core/review/checks.js'
import { safetyCheck } from '../../src/core/checks/safety/index.js'
import { runOnSource } from '../../src/core/review/source.js'
import { validateCheck } from '../../src/core/checks/validate/index.js'
import { GIT_ENV } from './git-repo.js'

export const CORPUS_ROOT = 'test/fixtures/safety-corpus'
const PUBLISHER = 'corpus'

export type Side = 'honest' | 'hostile'

export interface Expectation {
  /** Honest cases: the real-world shape the case stands for. */
  shape?: string
  /** Hostile cases: the attack class, `<family>/<class>`. */
  class?: string
  /** Hostile cases: the rule that must report it. */
  rule?: string
  /** The severity that rule must report (default error). */
  severity?: 'error' | 'warning' | 'notice'
  note?: string
  /** Files written at run time, relative to the package. */
  generated?: { path: string; text: string }[]
  /** Earlier states of the package, oldest first: a folder of the case, or null for "deleted". */
  history?: { dir: string | null; message: string }[]
  /** Packages of other publishers already in the marketplace before the change. */
  others?: { publisher: string; dir: string }[]
  /** The pull request's author (default: the package's publisher). */
  author?: string
  /** At most this many findings of a rule. */
  max?: Record<string, number>
}

export interface CaseResult {
  side: Side
  name: string
  expect: Expectation
  findings: Finding[]
  /** Errors, as `rule file:line`. */
  errors: string[]
  /** Honest: no error. Hostile: the named rule at its severity, within `max`. */
  ok: boolean
  /** Any error at all (a package the review blocks). */
  blocked: boolean
}

export function listCases(side: Side, root = CORPUS_ROOT): string[] {
  const dir = path.join(root, side)
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => existsSync(path.join(dir, n, 'expect.json')))
        .sort()
    : []
}

export function readExpectation(side: Side, name: string, root = CORPUS_ROOT): Expectation {
  return JSON.parse(readFileSync(path.join(root, side, name, 'expect.json'), 'utf8')) as Expectation
}

const profileJson = (login: string) => `${JSON.stringify({ name: `${login} (corpus)`, login }, null, 2)}\n`

/** Reviews one case and judges the result against its expectation. */
export async function runCase(side: Side, name: string, root = CORPUS_ROOT): Promise<CaseResult> {
  const expect = readExpectation(side, name, root)
  const caseDir = path.resolve(root, side, name)
  const pkgPath = `publishers/${PUBLISHER}/${name}`
  const work = mkdtempSync(path.join(tmpdir(), 'mpa-corpus-'))
  try {
    const needsGit = Boolean(expect.history?.length || expect.others?.length || expect.author)
    let findings: Finding[]
    if (!needsGit) {
      mkdirSync(path.join(work, 'publishers', PUBLISHER), { recursive: true })
      writeFileSync(path.join(work, 'publishers', PUBLISHER, 'profile.json'), profileJson(PUBLISHER))
      cpSync(path.join(caseDir, 'package'), path.join(work, pkgPath), { recursive: true })
      for (const g of expect.generated ?? []) {
        const file = path.join(work, pkgPath, g.path)
        mkdirSync(path.dirname(file), { recursive: true })
        writeFileSync(file, g.text)
      }
      const review = await runOnSource({ kind: 'directory', root: work }, [validateCheck, safetyCheck], { toolVersion: 'corpus' })
      findings = review.findings
    } else {
      const env = { ...process.env, ...GIT_ENV }
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
      const commit = (message: string) => {
        git('add', '-A')
        git('commit', '-q', '--allow-empty', '--no-verify', '-m', message)
        return git('rev-parse', 'HEAD')
      }
      git('init', '-q', '-b', 'main')
      mkdirSync(path.join(work, 'publishers', PUBLISHER), { recursive: true })
      writeFileSync(path.join(work, 'publishers', PUBLISHER, 'profile.json'), profileJson(PUBLISHER))
      for (const other of expect.others ?? []) {
        mkdirSync(path.join(work, 'publishers', other.publisher), { recursive: true })
        writeFileSync(path.join(work, 'publishers', other.publisher, 'profile.json'), profileJson(other.publisher))
        cpSync(path.join(caseDir, other.dir), path.join(work, 'publishers', other.publisher, name), { recursive: true })
      }
      let base = commit('marketplace')
      for (const step of expect.history ?? []) {
        rmSync(path.join(work, pkgPath), { recursive: true, force: true })
        if (step.dir !== null) cpSync(path.join(caseDir, step.dir), path.join(work, pkgPath), { recursive: true })
        base = commit(step.message)
      }
      rmSync(path.join(work, pkgPath), { recursive: true, force: true })
      cpSync(path.join(caseDir, 'package'), path.join(work, pkgPath), { recursive: true })
      const head = commit('the change under review')
      const review = await runOnSource({ kind: 'git', repo: work, base, head, author: expect.author ?? PUBLISHER }, REVIEW_CHECKS, {
        toolVersion: 'corpus'
      })
      findings = review.findings
    }
    const errors = findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.file ?? ''}:${f.line ?? ''}`)
    let ok: boolean
    if (side === 'honest') ok = errors.length === 0
    else {
      const severity = expect.severity ?? 'error'
      const named = findings.filter((f) => f.rule === expect.rule)
      ok =
        named.some((f) => f.severity === severity) &&
        Object.entries(expect.max ?? {}).every(([rule, n]) => findings.filter((f) => f.rule === rule).length <= n)
    }
    return { side, name, expect, findings, errors, ok, blocked: errors.length > 0 }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export interface CorpusSummary {
  honest: number
  honestBlocked: number
  hostile: number
  hostileCaught: number
  /** Hostile cases the review fails at all, by any rule. */
  hostileBlocked: number
  /** Of the packages the review blocks, the share that are hostile. */
  precision: number
  /** Of the hostile cases, the share reported by their named rule. */
  recall: number
  /** Per attack family (`code`, `injection`…): caught / total. */
  byFamily: Record<string, { caught: number; total: number }>
}

export function summarise(results: readonly CaseResult[]): CorpusSummary {
  const honest = results.filter((r) => r.side === 'honest')
  const hostile = results.filter((r) => r.side === 'hostile')
  const honestBlocked = honest.filter((r) => r.blocked).length
  const hostileCaught = hostile.filter((r) => r.ok).length
  // A hostile package counts as blocked when the review fails it (for notice-level classes: when
  // the named notice is there, since no error is expected).
  const hostileFlagged = hostile.filter((r) => r.blocked || (r.ok && (r.expect.severity ?? 'error') !== 'error')).length
  const byFamily: CorpusSummary['byFamily'] = {}
  for (const r of hostile) {
    const family = (r.expect.class ?? 'unknown').split('/')[0] as string
    const f = (byFamily[family] ??= { caught: 0, total: 0 })
    f.total++
    if (r.ok) f.caught++
  }
  return {
    honest: honest.length,
    honestBlocked,
    hostile: hostile.length,
    hostileCaught,
    hostileBlocked: hostile.filter((r) => r.blocked).length,
    precision: hostileFlagged + honestBlocked === 0 ? 1 : hostileFlagged / (hostileFlagged + honestBlocked),
    recall: hostile.length === 0 ? 1 : hostileCaught / hostile.length,
    byFamily
  }
}
