/**
 * Debian's headless Chromium driven by playwright-core (a browser download from elsewhere does not
 * work here), with a fresh profile in a temporary folder that `close` removes.
 *
 *   const browser = await openBrowser()
 *   const page = await browser.context.newPage()
 *   await browser.close()
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

export interface OpenBrowser {
  context: BrowserContext
  close(): Promise<void>
}

export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<OpenBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'mpa-chromium-'))
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: options.viewport ?? { width: 1200, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage'
      ]
    })
    return {
      context,
      async close() {
        await context.close().catch(() => undefined)
        rmSync(profile, { recursive: true, force: true })
      }
    }
  } catch (e) {
    rmSync(profile, { recursive: true, force: true })
    throw e
  }
}
