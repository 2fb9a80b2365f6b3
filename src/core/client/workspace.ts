// Where the client keeps things in a workspace ($SIGNET_WORKSPACE, passed in):
//
//   skills/<name>/                         installed skills
//   mcp.json                               installed MCP servers: {"mcpServers": {<name>: {...}}}
//   .marketplace/marketplaces.json         registered marketplaces
//   .marketplace/cache/<marketplace>/      registry.json, index.json, meta.json (ETags, fetch times)
//   .marketplace/installed.json            the lockfile (schemas/installed.schema.json)
//   .marketplace/settings.json             {"telemetry": false}
//   .marketplace/installation.json         the random installation id (created on telemetry opt-in)
//   .marketplace/feedback.jsonl            every rating given, one JSON object a line
//   .marketplace/staging/, .marketplace/transaction.json   an install in progress (see transaction.ts)
//
// Every file here is written whole (temp file + rename in the same folder), so a crash leaves
// the old or the new content, never half of either.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { lstat, mkdir, readFile, rename, rm, writeFile, open } from 'node:fs/promises'
import path from 'node:path'

export const STATE_DIR = '.marketplace'
export const SKILLS_DIR = 'skills'
export const MCP_CONFIG = 'mcp.json'

export class Workspace {
  constructor(readonly root: string) {}

  get state(): string {
    return path.join(this.root, STATE_DIR)
  }
  file(name: string): string {
    return path.join(this.state, name)
  }
  cacheDir(marketplace: string): string {
    return path.join(this.state, 'cache', marketplace)
  }
  skillDir(name: string): string {
    return path.join(this.root, SKILLS_DIR, name)
  }
  get mcpConfig(): string {
    return path.join(this.root, MCP_CONFIG)
  }
  get staging(): string {
    return path.join(this.state, 'staging')
  }

  async readJson<T>(file: string): Promise<T | undefined> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
    try {
      return JSON.parse(text) as T
    } catch (e) {
      throw new Error(`${file} is not valid JSON (${(e as Error).message}); restore it or delete it`, { cause: e })
    }
  }

  async readBytes(file: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(file)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
  }

  async writeJson(file: string, value: unknown): Promise<void> {
    await writeAtomic(file, `${JSON.stringify(value, null, 2)}\n`)
  }
}

/** Writes, flushes to disk and renames into place, so the file holds the old or the new bytes. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(tmp, 'wx', 0o644)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, file)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}

/** Whether anything (a file, folder or link, not followed) is at the path. */
export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p)
    return true
  } catch {
    return false
  }
}

/**
 * Writes a set of files under a fresh folder (which must not exist yet). Synchronous on purpose:
 * the folder is private staging, and one thread-pool round trip per mkdir and per file was most
 * of a cold install's wall time on a busy machine (a 50-file skill spent ~250 ms waiting, against
 * a few ms of actual writing); the daemon's event loop is blocked for no longer than that writing.
 */
export async function writeTree(dir: string, files: readonly { path: string; mode: number; bytes: Uint8Array }[]): Promise<void> {
  mkdirSync(dir, { recursive: false })
  const made = new Set([dir])
  for (const f of files) {
    const target = path.join(dir, ...f.path.split('/'))
    // The paths were checked (artifact.ts); this is the belt to those braces.
    if (!target.startsWith(`${dir}${path.sep}`)) throw new Error(`refusing to write ${f.path} outside ${dir}`)
    const parent = path.dirname(target)
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true })
      made.add(parent)
    }
    writeFileSync(target, f.bytes, { mode: f.mode, flag: 'wx' })
  }
}

export { rm, rename, mkdir, writeFile }
