// A timeout that counts only the time this thread waits. A scores run sends the stats request
// first and then reads and scans registry.json while the answer arrives; a timer counts wall
// time, so a short timeout could run out while this thread was busy and fire as soon as it is
// free, before the answer that came meanwhile is read (a false timeout). Here the time counted
// is the event loop's idle time since the start (`performance.eventLoopUtilization`): the time
// this thread spent waiting for something to happen, which is what a late or hung endpoint
// costs it. A hung endpoint still fails after the time given, plus whatever work this thread
// did meanwhile.
import { performance } from 'node:perf_hooks'

export interface IdleTimeout {
  /** Aborted once this thread has waited `ms` in all (a `TimeoutError`, as `AbortSignal.timeout` gives), or when `cancel` aborts. */
  signal: AbortSignal
  /** Whether the time ran out (not a cancel). */
  readonly expired: boolean
  /** Stops counting and listening; the signal is never aborted after this. */
  clear: () => void
}

/** `cancel`: the caller's own signal, folded in (AbortSignal.any is newer than Node 20.0). */
export function idleTimeout(ms: number, cancel?: AbortSignal): IdleTimeout {
  const controller = new AbortController()
  const start = performance.eventLoopUtilization()
  let expired = false
  let timer: NodeJS.Timeout | undefined
  const arm = (wait: number): void => {
    // Unreferenced, as AbortSignal.timeout's: the timeout alone keeps no process alive.
    timer = setTimeout(check, Math.max(1, Math.ceil(wait)))
    timer.unref()
  }
  const check = (): void => {
    const waited = performance.eventLoopUtilization(start).idle
    if (waited >= ms) {
      expired = true
      controller.abort(new DOMException(`waited ${ms} ms`, 'TimeoutError'))
    }
    // The thread was busy for part of the time: only the rest of the wait is still to come.
    else arm(ms - waited)
  }
  const cancelled = (): void => {
    clearTimeout(timer)
    controller.abort(cancel?.reason)
  }
  if (cancel?.aborted) cancelled()
  else {
    cancel?.addEventListener('abort', cancelled, { once: true })
    arm(ms)
  }
  return {
    signal: controller.signal,
    get expired() {
      return expired
    },
    clear: () => {
      clearTimeout(timer)
      cancel?.removeEventListener('abort', cancelled)
    }
  }
}
