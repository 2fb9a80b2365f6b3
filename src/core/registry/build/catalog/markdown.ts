// Publisher Markdown (a SKILL.md body) as HTML that cannot run anything: markdown-it with raw HTML
// off, so `<script>`, `<img onerror=…>` and every other tag a publisher writes is shown as text;
// a link survives only when its target is https or mailto (after markdown-it decoded entities and
// normalised it, and checked again the way a browser parses it), so `javascript:`, `data:`,
// `vbscript:`, relative paths and protocol-relative URLs stay visible text that leads nowhere.
// No <img> is ever produced: an image becomes a link to it (https only), so a page loads nothing
// from elsewhere and its CSP can forbid every image but our own. Bidi overrides are dropped so a
// description cannot reorder what a reader sees.
import MarkdownIt from 'markdown-it'

/** Larger bodies are cut: a page is for reading, the archive has the whole file. */
export const MARKDOWN_MAX_CHARS = 200_000

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false, maxNesting: 20 })
md.validateLink = (url: string) => safeUrl(url) !== undefined

const LINK_REL = 'nofollow noopener noreferrer ugc'
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrSet('rel', LINK_REL)
  return self.renderToken(tokens, idx, options)
}
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]
  const alt = md.utils.escapeHtml(String(token?.content ?? ''))
  const src = safeUrl(String(token?.attrGet('src') ?? ''))
  const label = `image${alt ? `: ${alt}` : ''}`
  return src ? `<a href="${md.utils.escapeHtml(src)}" rel="${LINK_REL}">[${label}]</a>` : `[${label}]`
}

// Bidi embeddings, overrides and isolates, and NUL: nothing a description needs, everything a trick needs.
// eslint-disable-next-line no-control-regex
const BIDI = /[\u0000\u202a-\u202e\u2066-\u2069]/gu

export function cleanText(text: string): string {
  return text.replace(BIDI, '')
}

/** An https or mailto URL as a browser will read it, or undefined. */
export function safeUrl(raw: string): string | undefined {
  const url = raw.trim()
  // A browser drops tabs and newlines inside a URL and trims control characters: refuse any.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\\]/u.test(url)) return undefined
  if (!/^(https:\/\/[^/]|mailto:)/i.test(url)) return undefined
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'mailto:') return undefined
    if (parsed.protocol === 'https:' && (parsed.username || parsed.password)) return undefined
  } catch {
    return undefined
  }
  return url
}

export function renderMarkdown(source: string): string {
  const text = cleanText(source.length > MARKDOWN_MAX_CHARS ? `${source.slice(0, MARKDOWN_MAX_CHARS)}\n\n…` : source)
  return md.render(text)
}

/** A SKILL.md without its frontmatter block. */
export function skillBody(text: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text)
  return m ? text.slice(m[0].length) : text
}
