// Escaping for GitHub-rendered markdown/HTML (job summaries, PR comments): text from a pull
// request must render as the text it is, never as markup, a link, an @-mention or a reference.
import { escapeHidden } from '../core/parse/text.js'

/** Where a zero-width space goes: it breaks what GitHub would link without changing what is read. */
const BREAK = '\uE000'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\n': ' ', '\r': ' ' }
// Markdown syntax: emphasis, code, links, images, tables, headings, escapes.
const MARKDOWN = /^[[\]()`*_|\\~!#]$/

export function escapeHtml(s: string): string {
  // GitHub links these after rendering, from the text itself: @user and @org/team ping people;
  // #123 and owner/repo#123 create cross-references; bare URLs and www. become links.
  const marked = escapeHidden(s)
    .replace(/\r\n/g, '\n')
    // ESC and the other C0 controls (and DEL) would reach the comment and summary as they are:
    // shown as `\x1b`, so the text reads as what was written and nothing acts on it.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/\t/g, ' ')
    .replace(/@/g, `@${BREAK}`)
    .replace(/#(?=\d)/g, `#${BREAK}`)
    .replace(/:\/\//g, `:${BREAK}//`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${BREAK}.`)
  // One pass, so an entity written here is never escaped again.
  let out = ''
  for (const ch of marked) {
    if (ch === BREAK) out += '&#8203;'
    else if (ENTITIES[ch] !== undefined) out += ENTITIES[ch]
    else if (MARKDOWN.test(ch)) out += `&#${ch.charCodeAt(0)};`
    else out += ch
  }
  return out
}
