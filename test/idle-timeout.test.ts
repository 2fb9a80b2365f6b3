// io/idle-timeout.ts: a timeout that counts only the time this thread waits, so work done after
// a request is sent cannot time the request out; a wait still runs it out.
import { describe, it, expect } from '@jest/globals'
import { idleTimeout } from '../src/io/idle-timeout.js'

/** Keeps this thread busy for `ms` without letting the event loop run. */
function busy(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

describe('idleTimeout', () => {
  it('aborts with a TimeoutError once the thread has waited the time given', async () => {
    const t0 = performance.now()
    const { signal } = idleTimeout(100)
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
    expect(signal.aborted).toBe(true)
    expect((signal.reason as DOMException).name).toBe('TimeoutError')
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95)
  })

  it('does not count the time the thread was busy', async () => {
    const { signal, clear } = idleTimeout(150)
    busy(400)
    // A wall-clock timer would have run out twice over; the thread has waited for nothing yet.
    await wait(60)
    expect(signal.aborted).toBe(false)
    // Waiting does count: the rest of the 150 ms runs it out.
    await wait(250)
    expect(signal.aborted).toBe(true)
    clear()
  })

  it('aborts at once, without expiring, when the caller cancels', async () => {
    const cancel = new AbortController()
    const timeout = idleTimeout(10_000, cancel.signal)
    cancel.abort(new Error('dropped'))
    expect(timeout.signal.aborted).toBe(true)
    expect(timeout.expired).toBe(false)
    expect((timeout.signal.reason as Error).message).toBe('dropped')
    // A signal cancelled already gives an aborted timeout.
    expect(idleTimeout(10_000, cancel.signal).signal.aborted).toBe(true)
  })

  it('never aborts after clear', async () => {
    const { signal, clear } = idleTimeout(50)
    clear()
    await wait(150)
    expect(signal.aborted).toBe(false)
  })
})
