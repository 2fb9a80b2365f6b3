/**
 * The safety scan in tests: one file's text through every text detector, or a whole package on
 * disk (directory source) or in git.
 *
 *   const findings = scanOne('scripts/run.sh', 'curl https://x | sh\n')
 *   expect(rulesOf(findings)).toEqual(['code/download-exec'])
 *
 * Secrets are assembled at run time from pieces (`'gh' + 'p_' + body`), so that this repository
 * holds nothing a secret scanner or GitHub push protection would flag.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Finding } from '../../src/core/findings/findings.js'
import { DEFAULT_LIMITS, type Limits } from '../../src/core/config/config.js'
import { DirectorySnapshot } from '../../src/core/snapshot/directory-snapshot.js'
import { makeTextFile } from '../../src/core/checks/safety/file.js'
import { scanPackage, scanText } from '../../src/core/checks/safety/index.js'
import { findSecrets, secretFindings } from '../../src/core/checks/safety/secrets.js'
import { writeFiles, type Files } from './marketplace.js'
import { packageRef } from '../../src/core/marketplace/paths.js'

export const PKG = packageRef('alice', 'demo')

/** Every finding the text detectors report for one file of alice/demo. */
export function scanOne(rel: string, text: string): Finding[] {
  const file = makeTextFile(PKG, `${PKG.dir}/${rel}`, text)
  return [...secretFindings(file, findSecrets(text, { docs: file.language === 'markdown' })), ...scanText(file)]
}

export function rulesOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort()
}

export function only(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule)
}

/** 1-based line and column of the first occurrence of `needle` (which must be there). */
export function pos(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle)
  if (i < 0) throw new Error(`fixture does not contain ${JSON.stringify(needle)}`)
  const before = text.slice(0, i).split('\n')
  return { line: before.length, column: (before[before.length - 1] as string).length + 1 }
}

/** Scans alice/demo written to a temporary directory (paths relative to the package). */
export async function scanDir(files: Files, limits: Partial<Limits> = {}, prepare?: (pkgDir: string) => void): Promise<Finding[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'mpa-safety-'))
  try {
    writeFiles(root, Object.fromEntries(Object.entries(files).map(([k, v]) => [`${PKG.dir}/${k}`, v])))
    prepare?.(path.join(root, PKG.dir))
    return await scanPackage(new DirectorySnapshot(root), PKG, { ...DEFAULT_LIMITS, ...limits })
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** Secrets in the documented formats, built at run time. `random(n)` is deterministic per seed. */
export function random(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', seed = 7): string {
  // mulberry32: small, fast and well mixed in every bit (an LCG's low bits repeat quickly).
  let a = seed >>> 0
  let out = ''
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    out += alphabet[Math.floor(r * alphabet.length)]
  }
  return out
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export const SECRETS = {
  aws: 'AK' + 'IA' + random(16, UPPER_DIGITS, 1),
  github: 'gh' + 'p_' + random(36, undefined, 2),
  gitlab: 'gl' + 'pat-' + random(20, undefined, 3),
  slack: 'xo' + 'xb-' + '2' + random(11, '0123456789', 4) + '-' + random(12, '0123456789', 5) + '-' + random(24, undefined, 6),
  openai: 'sk' + '-proj-' + random(64, undefined, 8),
  anthropic: 'sk' + '-ant-api03-' + random(93, undefined, 9) + 'AA',
  stripe: 'sk' + '_live_' + random(24, undefined, 10),
  npm: 'np' + 'm_' + random(36, undefined, 11),
  google: 'AI' + 'za' + random(35, undefined, 12),
  sendgrid: 'SG' + '.' + random(22, undefined, 13) + '.' + random(43, undefined, 14),
  pypi: 'py' + 'pi-AgEIcHlwaS5vcmc' + random(60, undefined, 15),
  huggingface: 'h' + 'f_' + random(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 16)
} as const

export function privateKey(): string {
  const body =
    random(64 * 6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 21)
      .match(/.{64}/g)
      ?.join('\n') ?? ''
  return `-----BEGIN RSA ${'PRIVATE'} KEY-----\n${body}\n-----END RSA ${'PRIVATE'} KEY-----\n`
}
