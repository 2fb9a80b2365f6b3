// The HTML every catalog page shares: escaping, the document shell with its Content-Security-Policy,
// landmarks and the one script and style sheet. Every value from a publisher passes through
// `esc` (or markdown.ts) on its way into a page; nothing is ever put in a script, a style or an
// event attribute.
import { SCRIPT_FILE, STYLE_FILE, HOME_PAGE, relativeUrl } from './layout.js'
import { cleanText } from './markdown.js'

/**
 * Scripts only from our own file (no inline script, no eval), styles only from our sheet, no
 * images, frames, objects or forms anywhere, fetches only to this site (the search index), and a
 * <base> cannot move relative URLs elsewhere.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'none'; object-src 'none'; frame-src 'none'; media-src 'none'; base-uri 'none'; form-action 'none'"

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function esc(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
}

export interface Shell {
  /** The page's path in the site folder: its links are relative to it. */
  path: string
  title: string
  description?: string
  /** `<meta name="catalog-input">`: what the page was made from (stage.ts reuses a page by it). */
  input?: string
  body: string
  marketplace: string
}

export function page(shell: Shell): string {
  const rel = (to: string) => esc(relativeUrl(shell.path, to))
  const root = relativeUrl(shell.path, 'x').slice(0, -1) || './'
  return [
    '<!doctype html>',
    `<html lang="en" data-root="${esc(root)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(shell.input ? [`<meta name="catalog-input" content="${esc(shell.input)}">`] : []),
    `<title>${esc(shell.title)}</title>`,
    ...(shell.description ? [`<meta name="description" content="${esc(shell.description)}">`] : []),
    `<link rel="stylesheet" href="${rel(STYLE_FILE)}">`,
    `<script src="${rel(SCRIPT_FILE)}" defer></script>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to content</a>',
    `<header class="site"><nav aria-label="Catalog"><a class="brand" href="${rel(HOME_PAGE)}">${esc(shell.marketplace)} catalog</a></nav></header>`,
    `<main id="main" tabindex="-1">`,
    shell.body,
    '</main>',
    '<footer class="site"><p>Built by marketplace-actions from the marketplace repository. Publisher content is shown as text; no script from a package runs here.</p></footer>',
    '</body>',
    '</html>',
    ''
  ].join('\n')
}
