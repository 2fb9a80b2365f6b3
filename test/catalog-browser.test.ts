// The catalog in a real browser: Debian's headless Chromium (playwright-core) loading the site the
// real registry build wrote from a real git repository, over HTTP on 127.0.0.1. Search finds a
// package by a word of its description, the filters narrow the list, a package page shows its
// install commands and its score chart, the hostile SKILL.md of the fixture runs nothing (no
// dialog, no console marker, no request, no live element from it), axe-core finds no serious or
// critical accessibility problem, and the pages fit a phone's width.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { openBrowser, type OpenBrowser } from './helpers/browser.js'
import { catalogFixture, PWNED, type CatalogFixture } from './helpers/catalog-fixture.js'
import { removeOutputDirs } from './helpers/registry.js'
import { serveFolder, type ServedFolder } from './helpers/site-server.js'
import { REPO_ROOT } from './helpers/run-node.js'

let fixture: CatalogFixture
let server: ServedFolder
let browser: OpenBrowser

beforeAll(async () => {
  fixture = await catalogFixture()
  server = await serveFolder(fixture.out.site)
  browser = await openBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await fixture?.cleanup()
  removeOutputDirs()
})

/** A page with a log of everything that could betray a running payload. */
async function watched(url: string): Promise<{ page: Page; events: string[] }> {
  const page = await browser.context.newPage()
  const events: string[] = []
  page.on('dialog', (d) => {
    events.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on('console', (m) => {
    if (m.text().includes(PWNED)) events.push(`console: ${m.text()}`)
  })
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (u.origin !== server.origin || !u.pathname.startsWith('/catalog/')) events.push(`request: ${r.url()}`)
  })
  page.on('pageerror', (e) => events.push(`page error: ${e.message}`))
  await page.goto(`${server.origin}${url}`)
  return { page, events }
}

const resultNames = (page: Page) => page.locator('#result-list li h3 a').allTextContents()

/** Waits until the result list names exactly these packages, in this order. */
async function results(page: Page, names: string[]): Promise<void> {
  const want = JSON.stringify(names)
  await until(
    page,
    `JSON.stringify([...document.querySelectorAll('#result-list > li h3 a')].map((a) => a.textContent)) === ${JSON.stringify(want)}`
  )
}

// Page-side code is passed as strings (the test project has no DOM types; they would clash with
// Node's) and polled from here: page.waitForFunction evaluates a string with eval, which the
// catalog's policy rightly refuses.
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('the catalog home page', () => {
  it('finds a package by a word of its description, ranked by score, and the filters narrow the list', async () => {
    const { page, events } = await watched('/catalog/index.html')
    await expect(page.locator('#ranked > ol > li h3 a').allTextContents()).resolves.toEqual([
      'web-deploy',
      'github-review',
      'log-reader',
      'totally-normal'
    ])

    // "summarises" is only in log-reader's description.
    await page.fill('#q', 'summarises')
    await page.waitForSelector('#result-list li[data-ready]')
    await expect(resultNames(page)).resolves.toEqual(['log-reader'])
    await expect(page.locator('#result-list li .description').first().textContent()).resolves.toContain('summarises errors')

    // A prefix while typing; "github" is in two descriptions, best score first.
    await page.fill('#q', 'gith')
    await results(page, ['web-deploy', 'github-review'])
    expect(await page.locator('#ranked').isHidden()).toBe(true)

    await page.selectOption('#type', 'mcp-server')
    await results(page, ['github-review'])

    await page.selectOption('#type', '')
    await page.fill('#publisher', 'alice')
    await results(page, ['web-deploy'])

    // A tag alone, without words.
    await page.fill('#q', '')
    await page.fill('#publisher', '')
    await page.fill('#tag', 'logs')
    await results(page, ['log-reader'])

    await page.fill('#tag', '')
    await page.fill('#q', 'nosuchwordanywhere')
    await until(page, `document.getElementById('status').textContent.startsWith('No package matches')`)
    expect(await page.locator('#result-list > li').count()).toBe(0)

    // A result links to its package page.
    await page.fill('#q', 'static')
    await page.waitForSelector('#result-list li[data-ready]')
    await page.click('#result-list li h3 a')
    await page.waitForURL('**/catalog/packages/alice/web-deploy.html')
    expect(events).toEqual([])
    await page.close()
  })

  it('searches on file:// is refused with an explanation, and the ranked list stays', async () => {
    const page = await browser.context.newPage()
    await page.goto(`file://${path.join(fixture.out.site, 'catalog', 'index.html')}`)
    await page.fill('#q', 'static')
    await until(page, `/served over http/.test(document.getElementById('status').textContent)`)
    expect(await page.locator('#ranked > ol > li').count()).toBe(4)
    await page.close()
  })
})

describe('a package page', () => {
  it('shows the install commands of every client with this site filled in, and the score chart', async () => {
    const { page, events } = await watched('/catalog/packages/alice/web-deploy.html')
    const install = (await page.locator('section[aria-labelledby="install"]').textContent()) ?? ''
    expect(install).toContain(`npx skills add ${server.origin} --skill web-deploy`)
    expect(install).toMatch(/claude plugin marketplace add <owner>\/<repo>\s*claude plugin install web-deploy@marketplace-repo-/)
    expect(install).toMatch(/apm install web-deploy@marketplace-repo-/)
    expect(install).toContain('marketplace-actions install @alice/web-deploy')
    expect(await page.locator('pre[data-copy]').count()).toBe(4)
    expect(await page.locator('button.copy').count()).toBe(4)

    const chart = page.locator('figure.score-chart svg[role="img"]')
    expect(await chart.isVisible()).toBe(true)
    await expect(chart.locator('title').textContent()).resolves.toContain('Score 0.86 of 1. Review 0.92, weight 40%')
    expect(await chart.locator('rect.share').count()).toBe(3)
    const box = await chart.boundingBox()
    expect(box?.width).toBeGreaterThan(100)

    const review = (await page.locator('section[aria-labelledby="review"]').textContent()) ?? ''
    expect(review).toContain('pass: 0 errors, 1 warning.')
    expect(review).toContain('Record: publishers/alice/web-deploy/review.json at commit')
    const text = (await page.locator('main').textContent()) ?? ''
    expect(text).toContain('scripts/deploy.sh')
    expect(text).toMatch(/sha256:[0-9a-f]{64}/)
    expect(text).toContain('Build the site, then publish')
    expect(events).toEqual([])
    await page.close()
  })

  it('on a GitHub Pages project site the commands name its repository and the record links to GitHub', async () => {
    const page = await browser.context.newPage()
    // The same files as if deployed to https://alice.github.io/market/ (answered from the served folder).
    await page.route('https://alice.github.io/market/**', async (route) => {
      const rel = new URL(route.request().url()).pathname.replace(/^\/market\//, '')
      const res = await fetch(`${server.origin}/${rel}`)
      await route.fulfill({
        status: res.status,
        headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain' },
        body: Buffer.from(await res.arrayBuffer())
      })
    })
    await page.goto('https://alice.github.io/market/catalog/packages/alice/web-deploy.html')
    const install = (await page.locator('section[aria-labelledby="install"]').textContent()) ?? ''
    expect(install).toContain('npx skills add https://alice.github.io/market --skill web-deploy')
    expect(install).toContain('claude plugin marketplace add alice/market')
    expect(install).toContain('apm marketplace add alice/market')
    expect(install).toContain('marketplace-actions marketplace add alice/market')
    const link = page.locator('a.fill-link')
    expect(await link.isVisible()).toBe(true)
    expect(await link.getAttribute('href')).toMatch(
      /^https:\/\/github\.com\/alice\/market\/blob\/[0-9a-f]{40}\/publishers\/alice\/web-deploy\/review\.json$/
    )
    await page.close()
  })

  it('an MCP server page shows its transport and packages, and no npx skills command', async () => {
    const { page, events } = await watched('/catalog/packages/bob/github-review.html')
    const text = (await page.locator('main').textContent()) ?? ''
    expect(text).toContain('@bob/github-review')
    expect(text).toContain('stdio')
    expect(text).toContain('streamable-http')
    expect(text).not.toContain('npx skills add')
    expect(text).toContain('claude plugin install github-review@')
    expect(events).toEqual([])
    await page.close()
  })

  it('runs nothing from a hostile SKILL.md: no dialog, no console marker, no request, no live element', async () => {
    const { page, events } = await watched('/catalog/packages/mallory/totally-normal.html')
    await page.waitForLoadState('networkidle')
    // Give a payload every chance: focus and hover everything in the rendered Markdown.
    for (const el of await page.locator('.markdown *').all()) await el.hover({ force: true, timeout: 1000 }).catch(() => undefined)
    await page.waitForTimeout(300)
    expect(events).toEqual([])
    const dom = await page.evaluate<{
      pwned: string | null
      tags: string[]
      handlers: string[]
      hrefs: string[]
      scripts: string[]
      bodyVisible: boolean
      base: number
      description: string
    }>(`(() => {
      const md = document.querySelector('.markdown')
      const all = [...md.querySelectorAll('*')]
      return {
        pwned: window.__pwned ?? null,
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
        handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
        hrefs: [...md.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
        scripts: [...document.scripts].map((s) => s.getAttribute('src')),
        bodyVisible: getComputedStyle(document.body).display !== 'none',
        base: document.querySelectorAll('base').length,
        description: document.querySelector('main > p.description')?.textContent ?? ''
      }
    })()`)
    expect(dom.pwned).toBeNull()
    // Only Markdown's own elements: everything the publisher wrote as HTML is text.
    expect(dom.tags.filter((t) => !['a', 'code', 'h1', 'p', 'pre'].includes(t))).toEqual([])
    expect(dom.handlers).toEqual([])
    expect(dom.hrefs).toEqual(['https://127.0.0.1:9/pwned-pixel.png', 'https://example.com/docs', 'mailto:someone@example.com'])
    expect(dom.scripts).toEqual(['../../assets/catalog.js'])
    expect(dom.bodyVisible).toBe(true)
    expect(dom.base).toBe(0)
    expect(dom.description).toBe('A helpful skill exe.txt for everyone.')
    await page.close()
  })

  it('the Content-Security-Policy refuses script the page did not come with', async () => {
    const { page } = await watched('/catalog/packages/mallory/totally-normal.html')
    const violations: string[] = []
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v))
    // An inline script added after load, as an injected payload would be: the policy blocks it.
    await page.evaluate(`(() => {
      document.addEventListener('securitypolicyviolation', (e) => void window.reportViolation(e.violatedDirective))
      const s = document.createElement('script')
      s.textContent = "window.__pwned = 'injected'"
      document.body.appendChild(s)
    })()`)
    await page.waitForTimeout(200)
    await expect(page.evaluate('window.__pwned ?? null')).resolves.toBeNull()
    expect(violations.some((v) => v.startsWith('script-src'))).toBe(true)
    await page.close()
  })
})

describe('accessibility and small screens', () => {
  const axeSource = readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
  const pages = [
    '/catalog/index.html',
    '/catalog/packages/alice/web-deploy.html',
    '/catalog/packages/bob/github-review.html',
    '/catalog/packages/mallory/totally-normal.html',
    '/catalog/publishers/alice.html'
  ]

  it.each(pages)('axe-core finds no serious or critical violation on %s', async (url) => {
    const { page } = await watched(url)
    // Evaluated through the DevTools protocol, which the page's CSP does not govern (an inline tag would be refused).
    await page.evaluate(axeSource)
    const violations = await page.evaluate<{ id: string; impact: string; nodes: number }[]>(
      'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })))'
    )
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
    await page.close()
  })

  it('the pages fit a phone screen without sideways scrolling, and Tab reaches the skip link first', async () => {
    const phone = await openBrowser({ viewport: { width: 375, height: 740 } })
    try {
      for (const url of pages) {
        const page = await phone.context.newPage()
        await page.goto(`${server.origin}${url}`)
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')
        expect({ url, overflow }).toEqual({ url, overflow: 0 })
        await page.keyboard.press('Tab')
        await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Skip to content')
        await page.close()
      }
    } finally {
      await phone.close()
    }
  })
})
