// The metadata users and the runner read: every action.yml (runtime, entry point, documented
// inputs and outputs, in step with what the adapter reads and sets) and the CLI's `bin` entry.
import { describe, it, expect } from '@jest/globals'
import { execFile } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { CLI_BUNDLE, REPO_ROOT, cleanEnv, runNode } from './helpers/run-node.js'

interface ActionYml {
  name?: string
  description?: string
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>
  outputs?: Record<string, { description?: string }>
  runs?: { using?: string; main?: string }
}

const DIST = path.join(REPO_ROOT, 'dist')

const actionFiles = [
  'action.yml',
  ...readdirSync(path.join(REPO_ROOT, 'actions'))
    .filter((d) => existsSync(path.join(REPO_ROOT, 'actions', d, 'action.yml')))
    .map((d) => `actions/${d}/action.yml`)
]

function load(file: string): ActionYml {
  return parseYaml(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as ActionYml
}

/** The bundle an action.yml runs, e.g. dist/validate-manifest/index.js. */
function mainOf(file: string): string {
  return path.resolve(path.dirname(path.join(REPO_ROOT, file)), load(file).runs?.main ?? '')
}

/** The adapter a bundle is built from: dist/<name>/index.js <- src/actions/<name>/main.ts. */
function adapterOf(file: string): string {
  return path.join(REPO_ROOT, 'src', 'actions', path.basename(path.dirname(mainOf(file))), 'main.ts')
}

/** The adapter and the shared action modules it imports, directly or through each other. */
function sourcesOf(file: string): string[] {
  const seen = new Set<string>()
  const visit = (f: string) => {
    if (seen.has(f) || !existsSync(f)) return
    seen.add(f)
    for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      const target = path.resolve(path.dirname(f), `${m[1] as string}.ts`)
      if (target.startsWith(path.join(REPO_ROOT, 'src', 'actions') + path.sep)) visit(target)
    }
  }
  visit(adapterOf(file))
  return [...seen].map((f) => readFileSync(f, 'utf8'))
}

const matches = (sources: string[], re: RegExp): string[] =>
  [...new Set(sources.flatMap((s) => [...s.matchAll(re)].map((m) => m[1] as string)))].sort()

const INPUT_READ =
  /\b(?:stringInput|choiceInput|booleanInput|integerInput|core\.getInput|core\.getBooleanInput|core\.getMultilineInput)\(\s*['"]([^'"]+)['"]/g
const OUTPUT_SET = /\bcore\.setOutput\(\s*['"]([^'"]+)['"]/g

it('finds the root action and at least one action under actions/', () => {
  expect(actionFiles[0]).toBe('action.yml')
  expect(actionFiles.length).toBeGreaterThan(1)
})

describe.each(actionFiles)('%s', (file) => {
  const yml = load(file)

  it('has a name and a description', () => {
    expect(typeof yml.name).toBe('string')
    expect(yml.name?.trim()).not.toBe('')
    expect(yml.description?.trim()).toBeTruthy()
  })

  it('runs on node24 from a committed bundle under dist/', () => {
    expect(yml.runs?.using).toBe('node24')
    const main = mainOf(file)
    const rel = path.relative(DIST, main)
    expect(rel.startsWith('..') || path.isAbsolute(rel)).toBe(false)
    expect(existsSync(main)).toBe(true)
    expect(statSync(main).isFile()).toBe(true)
    expect(existsSync(adapterOf(file))).toBe(true)
  })

  it('describes every input and output', () => {
    for (const [name, spec] of Object.entries(yml.inputs ?? {}))
      expect([name, typeof spec?.description === 'string' && spec.description.trim() !== '']).toEqual([name, true])
    for (const [name, spec] of Object.entries(yml.outputs ?? {}))
      expect([name, typeof spec?.description === 'string' && spec.description.trim() !== '']).toEqual([name, true])
  })

  it('declares exactly the inputs the adapter reads', () => {
    const read = matches(sourcesOf(file), INPUT_READ)
    expect(read.length).toBeGreaterThan(0)
    expect(Object.keys(yml.inputs ?? {}).sort()).toEqual(read)
  })

  it('declares every output the adapter sets', () => {
    const set = matches(sourcesOf(file), OUTPUT_SET)
    expect(set.length).toBeGreaterThan(0)
    expect(Object.keys(yml.outputs ?? {}).sort()).toEqual(set)
  })
})

it('the root action runs the whole review and takes every input and output of the checking actions it combines', () => {
  const root = load('action.yml')
  expect(mainOf('action.yml')).toBe(path.join(DIST, 'review', 'index.js'))
  for (const sub of ['actions/validate-manifest/action.yml', 'actions/safety-scan/action.yml', 'actions/version-bump-check/action.yml']) {
    const yml = load(sub)
    for (const name of Object.keys(yml.inputs ?? {})) expect([sub, name, name in (root.inputs ?? {})]).toEqual([sub, name, true])
    for (const name of Object.keys(yml.outputs ?? {})) expect([sub, name, name in (root.outputs ?? {})]).toEqual([sub, name, true])
  }
})

describe('the CLI bin', () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; bin?: Record<string, string> }

  it('package.json bin points at dist/cli/index.js', () => {
    expect(pkg.bin?.['marketplace-actions']).toBe('dist/cli/index.js')
    expect(path.join(REPO_ROOT, pkg.bin?.['marketplace-actions'] ?? '')).toBe(CLI_BUNDLE)
  })

  it('starts with a node shebang and is executable', () => {
    expect(readFileSync(CLI_BUNDLE, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
    expect(statSync(CLI_BUNDLE).mode & 0o111).not.toBe(0)
    expect(() => accessSync(CLI_BUNDLE, constants.X_OK)).not.toThrow()
  })

  it('runs through its shebang, as npm link / npx run it', async () => {
    // `env node` must find the same node that runs the tests.
    const env = cleanEnv({ PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` })
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      execFile(CLI_BUNDLE, ['--version'], { env, encoding: 'utf8', timeout: 30000 }, (error, stdout) => {
        if (error && typeof error.code !== 'number') reject(error)
        else resolve({ code: error ? (error.code as number) : 0, stdout })
      })
    })
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n` })
    // And the same through node itself.
    expect((await runNode(CLI_BUNDLE, ['--version'])).stdout).toBe(`${pkg.version}\n`)
  })
})
