// Escaping for GitHub-rendered markdown/HTML (job summaries, comments): text from a pull request
// must render as text, never as markup, links or @-mentions.

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    // Markdown inside HTML blocks still links bare URLs and pings @-mentions: break both.
    .replace(/@/g, '&#64;')
    .replace(/:\/\//g, '&#58;//')
    .replace(/[[\]`*_|\\]/g, (c) => `&#${c.charCodeAt(0)};`)
}
