// The catalog's pages as HTML strings, from registry entries, scores and (for a package page) its
// content. Pure and cheap: no Markdown but a package's own SKILL.md is rendered, and every value
// from a publisher is escaped (html.ts) or rendered safely (markdown.ts).
//
// Install commands need the marketplace's site URL and GitHub repository, which the build does not
// know: the pages show placeholders (`https://<owner>.github.io/<repo>`, `<owner>/<repo>`) that
// the script fills in from the page's own address when it is served (docs/catalog.md).
import type { RegistryPackage, ScoredPackage } from '../../../../generated/schema-types.js'
import { REVIEW_RECORD_FILE, packageRef } from '../../../marketplace/paths.js'
import { esc, page } from './html.js'
import { HOME_PAGE, SEARCH_HEADER, packagePage, publisherPage, relativeUrl } from './layout.js'
import { renderMarkdown } from './markdown.js'
import { compareRank, type SearchPackage } from './search-index.js'

export interface McpSummary {
  description?: string
  version?: string
  packages: { registryType: string; identifier: string; version?: string; transport: string }[]
  remotes: { type: string; url: string }[]
}

export type PackageContent =
  | { kind: 'skill'; files: { path: string; size: number }[]; body?: string }
  | { kind: 'mcp-server'; files: { path: string; size: number }[]; server?: McpSummary }
  | { kind: 'unavailable'; problem: string }

export interface PackageView {
  entry: RegistryPackage
  installName: string
  marketplace: string
  score?: ScoredPackage
  /** In the Agent Skills index (a skill with an artifact). */
  indexed: boolean
  /** In .claude-plugin/marketplace.json. */
  plugin: boolean
}

const SITE = '<span class="fill" data-fill="site">https://&lt;owner&gt;.github.io/&lt;repo&gt;</span>'
const REPO = '<span class="fill" data-fill="repo">&lt;owner&gt;/&lt;repo&gt;</span>'

const TYPE_LABEL: Record<string, string> = { skill: 'Skill', 'mcp-server': 'MCP server' }

export function typeLabel(type: string): string {
  return TYPE_LABEL[type] ?? type
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? 'not scored yet' : score.toFixed(2)
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function command(lines: string[], label: string): string {
  return `<div class="command"><pre tabindex="0" aria-label="${esc(label)}" data-copy><code>${lines.join('\n')}</code></pre></div>`
}

function installSection(v: PackageView): string {
  const p = v.entry
  const name = esc(v.installName)
  const market = esc(v.marketplace)
  const blocks: string[] = []
  const add = (client: string, how: string, lines: string[]) =>
    blocks.push(
      `<section class="client" aria-label="${esc(client)}"><h3>${esc(client)}</h3><p>${how}</p>${command(lines, `${client} commands`)}</section>`
    )
  if (v.indexed) {
    add('npx skills', 'From the Agent Skills index of this site.', [`npx skills add ${SITE} --skill ${name}`])
  }
  if (v.plugin) {
    add('Claude Code', 'Add the marketplace once, then install the plugin.', [
      `claude plugin marketplace add ${REPO}`,
      `claude plugin install ${name}@${market}`
    ])
    add('APM', 'Add the marketplace once, then install.', [`apm marketplace add ${REPO}`, `apm install ${name}@${market}`])
  }
  add('marketplace-actions', 'The toolkit&#39;s client: verified against the digest, pinned in the lockfile.', [
    `marketplace-actions marketplace add ${REPO}`,
    `marketplace-actions install @${esc(p.publisher)}/${esc(p.name)}`
  ])
  const missing =
    !v.plugin && p.type === 'mcp-server'
      ? '<p class="note">Not in the Claude Code marketplace: its server.json has no package or remote those clients can start.</p>'
      : !v.plugin
        ? '<p class="note">Not in the Claude Code marketplace at the moment (its files at the marketplace head are not the published ones).</p>'
        : ''
  return `<section aria-labelledby="install"><h2 id="install">Install</h2>${missing}${blocks.join('')}</section>`
}

const COMPONENT_LABEL: Record<string, string> = { review: 'Review', downloads: 'Downloads', ratings: 'Ratings', recency: 'Recency' }

/** The score's components as bars (normalised value, and its weighted share) with a table beside it. */
export function scoreChart(score: ScoredPackage): string {
  const entries = Object.entries(score.components).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)
  const rowH = 28
  const width = 320
  const barX = 90
  const barW = 180
  const height = rowH * (entries.length + 1) + 8
  const rows = entries.map(([key, c], i) => {
    const y = 8 + i * rowH
    const label = COMPONENT_LABEL[key] ?? key
    return [
      `<text x="0" y="${y + 15}" class="label">${esc(label)}</text>`,
      `<rect x="${barX}" y="${y + 4}" width="${barW}" height="14" class="track"/>`,
      `<rect x="${barX}" y="${y + 4}" width="${(barW * c.normalised).toFixed(1)}" height="14" class="bar"/>`,
      `<rect x="${barX}" y="${y + 4}" width="${(barW * c.normalised * c.weight).toFixed(1)}" height="14" class="share"/>`,
      `<text x="${barX + barW + 6}" y="${y + 15}" class="value">${c.normalised.toFixed(2)}</text>`
    ].join('')
  })
  const totalY = 8 + entries.length * rowH
  rows.push(
    `<text x="0" y="${totalY + 15}" class="label total">Score</text><rect x="${barX}" y="${totalY + 4}" width="${barW}" height="14" class="track"/><rect x="${barX}" y="${totalY + 4}" width="${(barW * score.score).toFixed(1)}" height="14" class="total-bar"/><text x="${barX + barW + 6}" y="${totalY + 15}" class="value">${score.score.toFixed(2)}</text>`
  )
  const summary = `Score ${score.score.toFixed(2)} of 1. ${entries
    .map(([k, c]) => `${COMPONENT_LABEL[k] ?? k} ${c.normalised.toFixed(2)}, weight ${Math.round(c.weight * 100)}%`)
    .join('; ')}${score.cap !== undefined ? `; capped at ${score.cap.toFixed(2)} after a failed review` : ''}.`
  const table = entries
    .map(
      ([k, c]) =>
        `<tr><th scope="row">${esc(COMPONENT_LABEL[k] ?? k)}</th><td>${c.raw}</td><td>${c.normalised.toFixed(2)}</td><td>${Math.round(c.weight * 100)}%</td><td>${c.samples ?? ''}</td></tr>`
    )
    .join('')
  return [
    `<figure class="score-chart"><svg role="img" aria-labelledby="score-chart-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="score-chart-title">${esc(summary)}</title>${rows.join('')}</svg>`,
    `<figcaption>Light bar: the component on a 0 to 1 scale; dark bar: its weighted share of the score.${score.cap !== undefined ? ` Capped at ${score.cap.toFixed(2)}: the latest review failed.` : ''}</figcaption></figure>`,
    `<table class="components"><caption>Score components</caption><thead><tr><th scope="col">Component</th><th scope="col">Measured</th><th scope="col">Normalised</th><th scope="col">Weight</th><th scope="col">Samples</th></tr></thead><tbody>${table}</tbody></table>`
  ].join('')
}

function reviewSection(p: RegistryPackage): string {
  const r = p.review
  if (!r)
    return '<section aria-labelledby="review"><h2 id="review">Review</h2><p>No review record is published for this version.</p></section>'
  const record = `${packageRef(p.publisher, p.name).dir}/${REVIEW_RECORD_FILE}`
  return [
    '<section aria-labelledby="review"><h2 id="review">Review</h2>',
    `<p class="verdict verdict-${esc(r.verdict)}"><strong>${esc(r.verdict)}</strong>: ${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}.</p>`,
    `<p>Record: <code>${esc(record)}</code> at commit <code>${esc(r.commit.slice(0, 12))}</code>`,
    ` <a class="fill-link" hidden data-github="blob/${esc(r.commit)}/${esc(record)}" rel="noopener noreferrer">view the record on GitHub</a></p>`,
    '</section>'
  ].join('')
}

function contentSection(p: RegistryPackage, content: PackageContent): string {
  if (content.kind === 'unavailable')
    return `<section aria-labelledby="about"><h2 id="about">About</h2><p>${esc(content.problem)}</p></section>`
  const files = `<section aria-labelledby="files"><h2 id="files">Files</h2><table><caption class="sr-only">Files of version ${esc(p.version)}</caption><thead><tr><th scope="col">Path</th><th scope="col">Size</th></tr></thead><tbody>${content.files
    .map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${formatSize(f.size)}</td></tr>`)
    .join('')}</tbody></table></section>`
  if (content.kind === 'skill') {
    const body = content.body === undefined ? '<p>This skill has no SKILL.md to show.</p>' : renderMarkdown(content.body)
    return `<section aria-labelledby="about"><h2 id="about">SKILL.md</h2><div class="markdown" dir="auto">${body}</div></section>${files}`
  }
  const s = content.server
  const server = !s
    ? '<p>Its server.json could not be read.</p>'
    : [
        s.description ? `<p dir="auto">${esc(s.description)}</p>` : '',
        s.version ? `<p>Server version <code>${esc(s.version)}</code></p>` : '',
        s.packages.length
          ? `<h3>Packages</h3><table><thead><tr><th scope="col">Registry</th><th scope="col">Package</th><th scope="col">Version</th><th scope="col">Transport</th></tr></thead><tbody>${s.packages
              .map(
                (x) =>
                  `<tr><td>${esc(x.registryType)}</td><td><code>${esc(x.identifier)}</code></td><td>${esc(x.version ?? '')}</td><td>${esc(x.transport)}</td></tr>`
              )
              .join('')}</tbody></table>`
          : '',
        s.remotes.length
          ? `<h3>Remotes</h3><table><thead><tr><th scope="col">Transport</th><th scope="col">URL</th></tr></thead><tbody>${s.remotes
              .map((x) => `<tr><td>${esc(x.type)}</td><td><code>${esc(x.url)}</code></td></tr>`)
              .join('')}</tbody></table>`
          : ''
      ].join('')
  return `<section aria-labelledby="about"><h2 id="about">MCP server</h2>${server}</section>${files}`
}

function versionsSection(p: RegistryPackage): string {
  const rows = (p.versions ?? [])
    .map(
      (v) =>
        `<tr><td>${esc(v.version)}</td><td><code class="digest">${esc(v.digest)}</code></td><td><time datetime="${esc(v.published_at)}">${esc(v.published_at.slice(0, 10))}</time></td><td><code>${esc(v.commit.slice(0, 12))}</code></td></tr>`
    )
    .join('')
  return `<section aria-labelledby="versions"><h2 id="versions">Versions</h2><table><thead><tr><th scope="col">Version</th><th scope="col">Digest</th><th scope="col">Published</th><th scope="col">Commit</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

function tagList(tags: readonly string[]): string {
  return tags.length ? `<ul class="tags" aria-label="Tags">${tags.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>` : ''
}

export function packagePageHtml(v: PackageView, content: PackageContent, input: string): string {
  const p = v.entry
  const path = packagePage(p.publisher, p.name)
  const links = [p.homepage ? linkIfHttps(p.homepage, 'Homepage') : '', p.repository ? linkIfHttps(p.repository, 'Repository') : ''].filter(
    Boolean
  )
  const body = [
    `<nav aria-label="Breadcrumb" class="crumbs"><a href="${esc(relativeUrl(path, HOME_PAGE))}">All packages</a> › <a href="${esc(relativeUrl(path, publisherPage(p.publisher)))}">${esc(p.publisher)}</a></nav>`,
    `<h1>${esc(p.name)}</h1>`,
    `<p class="meta">${typeLabel(p.type)} · version ${esc(p.version)} · by <a href="${esc(relativeUrl(path, publisherPage(p.publisher)))}">${esc(p.publisher)}</a>${p.license ? ` · ${esc(p.license)}` : ''} · updated <time datetime="${esc(p.updated_at ?? '')}">${esc((p.updated_at ?? '').slice(0, 10))}</time></p>`,
    `<p class="description" dir="auto">${esc(p.description ?? '')}</p>`,
    tagList(p.tags),
    links.length ? `<p class="links">${links.join(' · ')}</p>` : '',
    installSection(v),
    `<section aria-labelledby="score"><h2 id="score">Score: ${formatScore(p.score)}</h2>${v.score ? scoreChart(v.score) : '<p>No score yet: the scores job has not rated this package.</p>'}<p>Downloads: ${p.downloads}</p></section>`,
    reviewSection(p),
    contentSection(p, content),
    versionsSection(p)
  ].join('\n')
  return page({
    path,
    title: `${p.name} by ${p.publisher}: ${v.marketplace}`,
    description: p.description,
    input,
    body,
    marketplace: v.marketplace
  })
}

function linkIfHttps(url: string, label: string): string {
  return /^https:\/\//i.test(url) ? `<a href="${esc(url)}" rel="nofollow noopener noreferrer ugc">${label}</a>` : ''
}

/** A package in a list: name, type, version, score, description, tags. */
function card(from: string, p: SearchPackage, showPublisher = true): string {
  return `<li class="card"><h3><a href="${esc(relativeUrl(from, packagePage(p.publisher, p.name)))}">${esc(p.name)}</a></h3><p class="meta">${typeLabel(p.type)} · ${esc(p.version)}${showPublisher ? ` · ${esc(p.publisher)}` : ''} · score ${formatScore(p.score)}</p><p class="description" dir="auto">${esc(p.description)}</p>${tagList(p.tags)}</li>`
}

export function publisherPageHtml(login: string, packages: readonly SearchPackage[], marketplace: string): string {
  const path = publisherPage(login)
  const ranked = [...packages].sort(compareRank)
  const body = [
    `<nav aria-label="Breadcrumb" class="crumbs"><a href="${esc(relativeUrl(path, HOME_PAGE))}">All packages</a></nav>`,
    `<h1>${esc(login)}</h1>`,
    `<p>${ranked.length} package${ranked.length === 1 ? '' : 's'} · <a href="https://github.com/${esc(login)}" rel="noopener noreferrer">${esc(login)} on GitHub</a></p>`,
    `<ol class="cards">${ranked.map((p) => card(path, p, false)).join('')}</ol>`
  ].join('\n')
  return page({ path, title: `${login}: ${marketplace}`, body, marketplace })
}

/** How many packages the home page lists itself (the rest are a search away). */
export const HOME_COUNT = 60
const DATALIST_COUNT = 100

/**
 * What the home page shows of the whole catalog: the package count, every tag's count, the
 * publishers with the most packages and the best-ranked packages. A one-package rebuild keeps it in
 * its ledger (ledger.ts) and updates it from the changed packages instead of reading every one.
 */
export interface HomeData {
  count: number
  /** Every tag with its package count, by tag. */
  tags: [string, number][]
  /** The datalist's publishers (the most packages first), with their counts. */
  publishers: [string, number][]
  /** The best-ranked packages, in rank order: at least HOME_COUNT of them, or every package. */
  top: SearchPackage[]
}

/** The home page's figures from every package; `keep` ranked packages (a ledger keeps a few more than the page shows). */
export function homeData(packages: readonly SearchPackage[], keep = HOME_COUNT): HomeData {
  const tagCounts = new Map<string, number>()
  const publisherCounts = new Map<string, number>()
  for (const p of packages) {
    for (const t of p.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1)
    publisherCounts.set(p.publisher, (publisherCounts.get(p.publisher) ?? 0) + 1)
  }
  return {
    count: packages.length,
    tags: [...tagCounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    publishers: mostFirst(publisherCounts),
    top: topRanked(packages, keep)
  }
}

/** The `keep` best-ranked packages, in rank order, without sorting all of them. */
function topRanked(packages: readonly SearchPackage[], keep: number): SearchPackage[] {
  if (packages.length <= keep * 4) return [...packages].sort(compareRank).slice(0, keep)
  const top: SearchPackage[] = []
  for (const p of packages) {
    if (top.length === keep && compareRank(p, top[keep - 1] as SearchPackage) >= 0) continue
    let at = top.length
    while (at > 0 && compareRank(p, top[at - 1] as SearchPackage) < 0) at--
    top.splice(at, 0, p)
    if (top.length > keep) top.pop()
  }
  return top
}

const mostFirst = (m: Map<string, number>): [string, number][] =>
  [...m].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, DATALIST_COUNT)

export function homePageHtml(packages: readonly SearchPackage[], marketplace: string): string {
  return homePageFrom(homeData(packages), marketplace)
}

export function homePageFrom(home: HomeData, marketplace: string): string {
  const path = HOME_PAGE
  const options = (entries: [string, number][]) => entries.map(([k]) => `<option value="${esc(k)}"></option>`).join('')
  const body = [
    `<h1>${esc(marketplace)}</h1>`,
    `<p>${home.count} package${home.count === 1 ? '' : 's'}, reviewed and ranked by score. Search by a word of a name, a description or a tag.</p>`,
    `<form id="search" class="search" role="search" data-index="${esc(relativeUrl(path, SEARCH_HEADER))}" data-packages="${esc(relativeUrl(path, packagePage('x', 'x')).replace(/x\/x\.html$/, ''))}">`,
    '<div class="field grow"><label for="q">Search packages</label><input id="q" name="q" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. deploy"></div>',
    '<div class="field"><label for="type">Type</label><select id="type" name="type"><option value="">All types</option><option value="skill">Skills</option><option value="mcp-server">MCP servers</option></select></div>',
    `<div class="field"><label for="tag">Tag</label><input id="tag" name="tag" list="tags" autocomplete="off"><datalist id="tags">${options(mostFirst(new Map(home.tags)))}</datalist></div>`,
    `<div class="field"><label for="publisher">Publisher</label><input id="publisher" name="publisher" list="publishers" autocomplete="off"><datalist id="publishers">${options(home.publishers)}</datalist></div>`,
    '</form>',
    '<p id="status" class="status" role="status" aria-live="polite"></p>',
    '<section id="results" aria-label="Search results" hidden><ol class="cards" id="result-list"></ol><button type="button" id="more" hidden>Show more</button></section>',
    `<section id="ranked" aria-labelledby="ranked-title"><h2 id="ranked-title">Top packages</h2><ol class="cards">${home.top
      .slice(0, HOME_COUNT)
      .map((p) => card(path, p))
      .join('')}</ol></section>`
  ].join('\n')
  return page({ path, title: `${marketplace}: package catalog`, body, marketplace })
}
