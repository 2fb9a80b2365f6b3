// Where the catalog lives in the site folder. Everything is under `catalog/`, a folder the build
// owns (site-layout.ts isManagedSitePath): a maintainer's own `index.html` or any other file at
// the site root is never written or deleted. Pages link to each other with relative URLs that
// name the file (`…/index.html`, `….html`), so the catalog works under any path prefix, from any
// static host and from a file:// open.
//
//   catalog/index.html                          home: search, filters, packages ranked by score
//   catalog/packages/<login>/<name>.html        one page per package
//   catalog/publishers/<login>.html             one page per publisher
//   catalog/assets/catalog.js, catalog.css      the only script and style sheet (no inline ones)
//   catalog/search/index.json                   the search index's header (search-index.ts)
//   catalog/search/top.json                     the best-ranked packages (filters without words)
//   catalog/search/shards/<key>.json            tokens of one prefix and the packages they name
//   catalog/search/docs/<bucket>.json           what a result shows, packages hashed to buckets

export const CATALOG_DIR = 'catalog'
export const HOME_PAGE = `${CATALOG_DIR}/index.html`
export const SCRIPT_FILE = `${CATALOG_DIR}/assets/catalog.js`
export const STYLE_FILE = `${CATALOG_DIR}/assets/catalog.css`
export const SEARCH_DIR = `${CATALOG_DIR}/search`
export const SEARCH_HEADER = `${SEARCH_DIR}/index.json`
export const SEARCH_TOP = `${SEARCH_DIR}/top.json`

export function packagePage(login: string, name: string): string {
  return `${CATALOG_DIR}/packages/${login}/${name}.html`
}

export function publisherPage(login: string): string {
  return `${CATALOG_DIR}/publishers/${login}.html`
}

export function shardPath(file: string): string {
  return `${SEARCH_DIR}/shards/${file}.json`
}

export function docsPath(bucket: number): string {
  return `${SEARCH_DIR}/docs/${bucket.toString(16)}.json`
}

export function isCatalogPath(path: string): boolean {
  return path.startsWith(`${CATALOG_DIR}/`)
}

/** The relative URL from one site path to another (both files, `/`-separated). */
export function relativeUrl(from: string, to: string): string {
  const a = from.split('/').slice(0, -1)
  const b = to.split('/')
  let i = 0
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/')
}
