// Escaping for GitHub-rendered markdown/HTML (job summaries, PR comments): text from a pull
// request must render as the text it is, never as markup, a link, an @-mention or a reference.
import { escapeHidden } from '../core/text.js'

/** A zero-width space, as an entity: it breaks what GitHub would link without changing what is read. */
const BREAK = '&#8203;'

export function escapeHtml(s: string): string {
  return (
    escapeHidden(s)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
      // Markdown syntax as entities: no emphasis, code, links, images, tables or headings.
      .replace(/[[\]()`*_|\\~!#]/g, (c) => `&#${c.charCodeAt(0)};`)
      // GitHub links these after rendering, from the text itself; break them with a ZWSP.
      // @user and @org/team ping people; #123 and owner/repo#123 create cross-references;
      // bare URLs and www. become links.
      .replace(/@/g, `@${BREAK}`)
      .replace(/&#35;(?=\d)/g, `&#35;${BREAK}`)
      .replace(/:\/\//g, `:${BREAK}//`)
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${BREAK}.`)
      // One line: a newline would end a table row or a list item.
      .replace(/\r\n|\r|\n/g, ' ')
  )
}
