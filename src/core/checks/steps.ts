// A check written once for both ways of reading: as a generator that yields what it needs (a
// file's bytes, an entry, a module) and is handed the answer. From a git snapshot every answer is
// a promise; from a work tree on disk (DirectorySnapshot) they come synchronously, and a run over
// 10,000 packages then makes no promise, microtask or async frame per file. The rules stay the same
// functions for both: only the driver differs.
import type { ListedEntry, Snapshot, TreeEntry } from '../snapshot/types.js'
import type { DirectorySnapshot } from '../snapshot/directory-snapshot.js'

export type Step<E extends ListedEntry = TreeEntry> =
  { op: 'read'; entry: E; maxBytes: number } | { op: 'stat'; path: string } | { op: 'await'; promise: Promise<unknown> }

/** A check's steps: yields what it needs, returns T. */
export type Steps<T, E extends ListedEntry = TreeEntry> = Generator<Step<E>, T, unknown>

/**
 * A file's bytes (FileTooLargeError above maxBytes). Read from a directory, they may be a view of
 * a buffer reused by the next read: decode or copy them before the next step.
 */
export function* readBytes<E extends ListedEntry>(entry: E, maxBytes: number): Steps<Uint8Array, E> {
  return (yield { op: 'read', entry, maxBytes }) as Uint8Array
}

/** The entry at a path, or undefined (Snapshot.stat). */
export function* statEntry<E extends ListedEntry>(path: string): Steps<E | undefined, E> {
  return (yield { op: 'stat', path }) as E | undefined
}

/** What a promise resolves to (a module loaded on first use). */
export function* awaited<T, E extends ListedEntry>(promise: Promise<T>): Steps<T, E> {
  return (yield { op: 'await', promise }) as T
}

type Answer<E extends ListedEntry> = (step: Step<E>) => unknown

/** Runs steps against any snapshot, one awaited answer at a time. */
export function runOn<T>(snapshot: Snapshot, steps: Steps<T>): Promise<T> {
  const answer: Answer<TreeEntry> = (step) =>
    step.op === 'read' ? snapshot.read(step.entry, step.maxBytes) : step.op === 'stat' ? snapshot.stat(step.path) : step.promise
  return finish(steps, undefined, answer)
}

/** Runs steps that read nothing and only wait (for a module), such as a check of a text already read. */
export function runAlone<T>(steps: Steps<T, ListedEntry>): Promise<T> {
  return finish(steps, undefined, (step) => {
    if (step.op !== 'await') throw new Error(`runAlone: a ${step.op} step has no snapshot to answer it`)
    return step.promise
  })
}

/**
 * Runs steps against a directory synchronously; only a step that waits on a promise (a module
 * loaded the first time) turns the rest of the run into a promise.
 */
export function runNow<T>(directory: DirectorySnapshot, steps: Steps<T, ListedEntry>): T | Promise<T> {
  let next = steps.next()
  while (!next.done) {
    const step = next.value
    if (step.op === 'await') return finish(steps, step.promise, answerNow(directory))
    let value: unknown
    try {
      value = step.op === 'read' ? directory.readNow(step.entry, step.maxBytes, true) : directory.statNow(step.path)
    } catch (e) {
      next = steps.throw(e)
      continue
    }
    next = steps.next(value)
  }
  return next.value
}

/** After a wait, reads are not borrowed: another run may have used the scratch buffer meanwhile. */
function answerNow(directory: DirectorySnapshot): Answer<ListedEntry> {
  return (step) =>
    step.op === 'read'
      ? directory.readNow(step.entry, step.maxBytes, false)
      : step.op === 'stat'
        ? directory.statNow(step.path)
        : step.promise
}

/** The rest of a run, awaiting each answer; `pending` answers the step the generator is paused at. */
async function finish<T, E extends ListedEntry>(steps: Steps<T, E>, pending: Promise<unknown> | undefined, answer: Answer<E>): Promise<T> {
  let next: IteratorResult<Step<E>, T>
  if (pending === undefined) next = steps.next()
  else {
    const outcome = await settle(() => pending)
    next = outcome.ok ? steps.next(outcome.value) : steps.throw(outcome.error)
  }
  while (!next.done) {
    // A failed answer is thrown into the check (a file too large is a finding, not a failure);
    // whatever the check throws itself rejects the run.
    const step = next.value
    const outcome = await settle(() => answer(step))
    next = outcome.ok ? steps.next(outcome.value) : steps.throw(outcome.error)
  }
  return next.value
}

async function settle(get: () => unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await get() }
  } catch (error) {
    return { ok: false, error }
  }
}
