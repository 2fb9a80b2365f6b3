// Blob contents through one long-lived `git cat-file --batch`: a snapshot may read thousands of
// small files, and one process answering them in order is far cheaper than a process per file.
// Memory stays bounded because a blob larger than the caller allows is never asked for (its size
// is known from ls-tree), and one that turns out larger is skipped as it streams past.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { FileTooLargeError } from '../snapshot/types.js'
import { GitError, isObjectId, spawnGit } from './git.js'

export interface BlobRequest {
  oid: string
  /** Named in errors only. */
  path: string
  /** The size ls-tree reported, when known: checked before git is asked anything. */
  size?: number
}

interface Pending {
  oid: string
  path: string
  /** The object's type asked for: a file's blob, or a commit (its committer time, readCommit). */
  type: 'blob' | 'commit'
  /** A question about a named object (isTree): answered from the header, its body skipped. */
  answer?: (isTree: boolean) => void
  maxBytes: number
  resolve(bytes: Buffer): void
  reject(error: Error): void
}

interface Body {
  pending: Pending
  /** The object's type, as git names it. */
  type: string
  size: number
  /** Content plus the LF git writes after it. */
  received: number
  data?: Buffer
  error?: Error
}

const ARGS = ['cat-file', '--batch']
/** A commit's headers and message: far more than any real one (its message is not size-checked by git). */
const COMMIT_MAX_BYTES = 16 * 1024 * 1024
const EMPTY = Buffer.alloc(0)

export class CatFile {
  private child: ChildProcessWithoutNullStreams | undefined
  private queue: Pending[] = []
  private header: Buffer = EMPTY
  private body: Body | undefined
  private stderr = ''
  private closed = false
  /** Requests made in this tick, written to git in one write when the tick ends. */
  private outgoing: string[] = []

  constructor(private readonly repoDir: string) {}

  read(blob: BlobRequest, maxBytes: number): Promise<Buffer> {
    return this.ask(blob.oid, blob.path, 'blob', maxBytes, blob.size)
  }

  /**
   * A commit object's bytes (headers, a blank line, the message), from the process that reads the
   * files: the build asks the built commit's time here rather than of one more git process.
   */
  readCommit(oid: string): Promise<Buffer> {
    return this.ask(oid, `commit ${oid}`, 'commit', COMMIT_MAX_BYTES)
  }

  /**
   * Whether `<commit>:<path>` names a tree (a folder at that commit), asked of this process: a
   * question about any commit of the clone costs no git process of its own (the registry build's
   * diff asked `ls-tree` at both commits whether each changed package's folder is there). A
   * name git reads as more than one line, or as relative to a folder (`./`), is refused: the
   * caller asks ls-tree instead.
   */
  isTree(commit: string, path: string): Promise<boolean> {
    const name = `${commit}:${path}`
    if (this.closed) return Promise.reject(new Error(`cannot look up ${name}: the git snapshot is closed`))
    if (!isObjectId(commit) || !askable(path)) return Promise.reject(new Error(`cannot look up ${JSON.stringify(name)} through cat-file`))
    return new Promise<boolean>((answer, reject) =>
      this.enqueue({ oid: name, path: name, type: 'blob', maxBytes: 0, resolve: () => {}, reject, answer })
    )
  }

  private ask(oid: string, path: string, type: Pending['type'], maxBytes: number, size?: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error(`cannot read ${path}: the git snapshot is closed`))
    if (!isObjectId(oid)) return Promise.reject(new Error(`cannot read ${path}: ${JSON.stringify(oid)} is not an object id`))
    if (size !== undefined && size > maxBytes) return Promise.reject(new FileTooLargeError(path, size, maxBytes))
    return new Promise<Buffer>((resolve, reject) => this.enqueue({ oid, path, type, maxBytes, resolve, reject }))
  }

  /** A request queued for the running process (started if need be), written to git when the tick ends. */
  private enqueue(pending: Pending): void {
    const child = this.start()
    this.queue.push(pending)
    if (this.queue.length === 1) this.hold(child, true)
    this.outgoing.push(pending.oid)
    // Many reads asked at once (a package's files) cost git one wake-up, not one each.
    if (this.outgoing.length === 1) process.nextTick(() => this.flush())
  }

  /** Requests wait here only for the current process (fail() drops them with their promises). */
  private flush(): void {
    const oids = this.outgoing
    this.outgoing = []
    if (oids.length && this.child) this.child.stdin.write(`${oids.join('\n')}\n`)
  }

  /** Lets git finish what was asked, then waits for it to exit. */
  async close(): Promise<void> {
    this.closed = true
    const child = this.child
    if (!child) return
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('close', () => resolve())
    })
    this.hold(child, true)
    this.flush()
    child.stdin.end()
    await exited
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child
    const child = spawnGit(this.repoDir, ARGS)
    this.child = child
    this.header = EMPTY
    this.body = undefined
    this.stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child === child) this.onData(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk.toString('utf8')
    })
    child.stdin.on('error', () => {}) // an exit reports itself through 'close'
    child.on('error', (e) => this.fail(child, new GitError(ARGS, null, this.stderr, `git cat-file could not run: ${e.message}`)))
    child.on('close', (code) => this.fail(child, new GitError(ARGS, code, this.stderr)))
    this.hold(child, false)
    return child
  }

  private fail(child: ChildProcessWithoutNullStreams, error: GitError): void {
    if (this.child !== child) return
    this.child = undefined // the next read starts a fresh process
    const queue = this.queue
    this.queue = []
    this.outgoing = []
    for (const pending of queue) pending.reject(error)
  }

  /** An idle reader must not keep Node alive; a busy one must. */
  private hold(child: ChildProcessWithoutNullStreams, busy: boolean): void {
    const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[]
    for (const handle of handles) {
      if (busy) handle.ref?.()
      else handle.unref?.()
    }
  }

  private onData(chunk: Buffer): void {
    let at = 0
    while (at < chunk.length) {
      const body = this.body
      if (body) {
        const take = Math.min(body.size + 1 - body.received, chunk.length - at)
        const content = Math.min(take, body.size - body.received)
        if (body.data && content > 0) chunk.copy(body.data, body.received, at, at + content)
        body.received += take
        at += take
        if (body.received === body.size + 1) this.finish(body)
        continue
      }
      const nl = chunk.indexOf(10, at)
      if (nl < 0) {
        this.header = Buffer.concat([this.header, chunk.subarray(at)])
        return
      }
      const line = Buffer.concat([this.header, chunk.subarray(at, nl)]).toString('utf8')
      this.header = EMPTY
      at = nl + 1
      this.onHeader(line)
      if (!this.child) return
    }
  }

  private onHeader(line: string): void {
    const child = this.child
    const pending = this.queue[0]
    if (pending?.answer && (line === `${pending.oid} missing` || line === `${pending.oid} ambiguous`)) {
      this.queue.shift()
      pending.answer(false)
      return
    }
    const [oid, type, sizeText] = line.split(' ')
    const size = Number(sizeText ?? 0)
    // A named object (isTree) is answered by its id; an object asked by id, by that id.
    const inStep = pending?.answer ? isObjectId(oid ?? '') && sizeText !== undefined : oid === pending?.oid
    if (!child || !pending || !inStep || type === undefined || !Number.isSafeInteger(size) || size < 0) {
      // Out of step with git: nothing after this point can be trusted to belong to a request.
      if (child) {
        this.fail(child, new GitError(ARGS, null, this.stderr, `git cat-file answered ${JSON.stringify(line.slice(0, 200))} out of turn`))
        child.kill()
      }
      return
    }
    if (sizeText === undefined) {
      // `<oid> missing`: a shallow or partial clone without this blob
      this.queue.shift()
      pending.reject(new Error(`cannot read ${pending.path}: object ${oid} is ${type} in this clone`))
      return
    }
    const body: Body = { pending, type, size, received: 0 }
    this.body = body
    if (pending.answer) return // its body is skipped
    if (type !== pending.type) body.error = new Error(`cannot read ${pending.path}: object ${oid} is a ${type}, not a ${pending.type}`)
    else if (size > pending.maxBytes) body.error = new FileTooLargeError(pending.path, size, pending.maxBytes)
    else body.data = Buffer.allocUnsafe(size)
  }

  private finish(body: Body): void {
    this.body = undefined
    this.queue.shift()
    if (this.queue.length === 0 && this.child && !this.closed) this.hold(this.child, false)
    if (body.pending.answer) body.pending.answer(body.type === 'tree')
    else if (body.data) body.pending.resolve(body.data)
    else body.pending.reject(body.error ?? new Error(`cannot read ${body.pending.path}`))
  }
}

/** A path cat-file reads as the one written: one line, and not relative to the current folder. */
function askable(path: string): boolean {
  return path !== '' && !/[\n\0]/.test(path) && !path.startsWith('./') && !path.startsWith('../') && path.trim() === path
}
