// What the benchmark scripts share. Figures are medians of several runs: these machines are shared
// and noisy, so the scripts compare ratios within one run rather than absolute times.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

const BENCHMARKS_FILE = path.join(process.cwd(), 'docs', 'benchmarks.md')

/**
 * Puts `section` (which starts with `heading`) into docs/benchmarks.md: in place of the section
 * with that heading, up to the next `## `, or at the end when there is none yet.
 */
export function writeBenchmarkSection(heading: string, section: string): void {
  let doc = '# Benchmarks\n\nFigures from scripts that run on this machine class (2 cores). Compare ratios within one run.\n'
  try {
    doc = readFileSync(BENCHMARKS_FILE, 'utf8')
  } catch {
    // the first benchmark run writes the file
  }
  const start = doc.indexOf(heading)
  if (start >= 0) {
    const next = doc.indexOf('\n## ', start + 1)
    doc = doc.slice(0, start) + section + (next >= 0 ? doc.slice(next + 1) : '')
  } else doc = `${doc.trimEnd()}\n\n${section}`
  writeFileSync(BENCHMARKS_FILE, doc)
}
