// `npm run screenshots:catalog`: the pictures of the catalog in the README (docs/catalog-*.png),
// taken from the real thing: the catalog test's fixture marketplace built by the registry build,
// served over HTTP from 127.0.0.1 and shown in Debian's headless Chromium.
import path from 'node:path'
import { openBrowser } from '../test/helpers/browser.js'
import { catalogFixture } from '../test/helpers/catalog-fixture.js'
import { removeOutputDirs } from '../test/helpers/registry.js'
import { serveFolder } from '../test/helpers/site-server.js'

const DOCS = path.join(process.cwd(), 'docs')

const fixture = await catalogFixture()
const server = await serveFolder(fixture.out.site)
const browser = await openBrowser({ viewport: { width: 1100, height: 820 } })
try {
  const home = await browser.context.newPage()
  await home.goto(`${server.origin}/catalog/index.html`)
  await home.fill('#q', 'github')
  await home.locator('#result-list li[data-ready]').nth(1).waitFor()
  await home.screenshot({ path: path.join(DOCS, 'catalog-home.png') })

  const pkg = await browser.context.newPage()
  await pkg.goto(`${server.origin}/catalog/packages/alice/web-deploy.html`)
  await pkg.screenshot({ path: path.join(DOCS, 'catalog-package.png'), fullPage: true })
  console.log('wrote docs/catalog-home.png and docs/catalog-package.png')
} finally {
  await browser.close()
  await server.close()
  await fixture.cleanup()
  removeOutputDirs()
}
