// The catalog's one script and one style sheet, written by the build as catalog/assets/*. They are
// text here so every bundle carries them without a loader. The script must find what the build
// indexed, so its word rules are the ones of tokens.ts: the stopwords are interpolated from there
// and test/catalog-search.test.ts runs both implementations over the same inputs.
//
// The script never puts package data into markup: results are built with textContent and
// setAttribute on elements it creates, and links only point inside the catalog.
import { MIN_TOKEN, SHARD_PREFIX, STOPWORDS } from './tokens.js'

const PAGE_SIZE = 20

export const CATALOG_SCRIPT = String.raw`// marketplace-actions catalog: install command placeholders, copy buttons, search.
(function () {
  'use strict'
  var STOPWORDS = new Set('${[...STOPWORDS].join(' ')}'.split(' '))
  var MIN_TOKEN = ${MIN_TOKEN}
  var SHARD_PREFIX = ${SHARD_PREFIX}
  var PAGE_SIZE = ${PAGE_SIZE}
  var TYPE_LABEL = { skill: 'Skill', 'mcp-server': 'MCP server' }

  function words(text) {
    var folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
    var out = []
    var re = /[\p{L}\p{N}]+/gu
    var m
    while ((m = re.exec(folded))) {
      var w = m[0]
      if (Array.from(w).length >= MIN_TOKEN && !STOPWORDS.has(w)) out.push(w)
    }
    return out
  }

  function shardKey(token) {
    var sigil = token.charAt(0) === '#' || token.charAt(0) === '@' ? token.charAt(0) : ''
    return sigil + Array.from(token.slice(sigil.length)).slice(0, SHARD_PREFIX).join('')
  }

  function shardFor(token, split) {
    var sigil = token.charAt(0) === '#' || token.charAt(0) === '@' ? token.charAt(0) : ''
    var chars = Array.from(token.slice(sigil.length))
    var length = SHARD_PREFIX
    var key = shardKey(token)
    while (split.has(key) && chars.length > length) key = sigil + chars.slice(0, ++length).join('')
    return key
  }

  function shardFile(key) {
    var sigil = key.charAt(0) === '#' ? 't-' : key.charAt(0) === '@' ? 'p-' : 'w-'
    var rest = sigil === 'w-' ? key : key.slice(1)
    if (/^[a-z0-9]+$/.test(rest)) return sigil + rest
    var hex = ''
    new TextEncoder().encode(rest).forEach(function (b) {
      hex += (b < 16 ? '0' : '') + b.toString(16)
    })
    return sigil + 'x' + hex
  }

  function bucketOf(id, buckets) {
    var h = 0x811c9dc5
    new TextEncoder().encode(id).forEach(function (b) {
      h ^= b
      h = Math.imul(h, 0x01000193) >>> 0
    })
    return h % buckets
  }

  var own = function (o, k) {
    return Object.prototype.hasOwnProperty.call(o, k)
  }

  // The install commands name the site and its repository: fill them in from this page's address.
  function fillPlaceholders() {
    if (location.protocol !== 'https:' && location.protocol !== 'http:') return
    var root = document.documentElement.getAttribute('data-root') || './'
    var site = new URL(root, location.href)
    var siteText = site.href.replace(/\/$/, '')
    document.querySelectorAll('[data-fill="site"]').forEach(function (el) {
      el.textContent = siteText
    })
    var host = site.hostname
    if (!/^[a-z0-9-]+\.github\.io$/i.test(host)) return
    var owner = host.split('.')[0]
    var first = site.pathname.split('/').filter(Boolean)[0]
    var repo = owner + '/' + (first || owner + '.github.io')
    document.querySelectorAll('[data-fill="repo"]').forEach(function (el) {
      el.textContent = repo
    })
    document.querySelectorAll('a.fill-link[data-github]').forEach(function (a) {
      a.setAttribute('href', 'https://github.com/' + repo + '/' + a.getAttribute('data-github'))
      a.hidden = false
    })
  }

  function addCopyButtons() {
    if (!navigator.clipboard) return
    document.querySelectorAll('pre[data-copy]').forEach(function (pre) {
      var button = document.createElement('button')
      button.type = 'button'
      button.className = 'copy'
      button.textContent = 'Copy'
      button.setAttribute('aria-label', 'Copy: ' + (pre.getAttribute('aria-label') || 'command'))
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(pre.textContent || '').then(
          function () {
            button.textContent = 'Copied'
            setTimeout(function () {
              button.textContent = 'Copy'
            }, 1500)
          },
          function () {
            button.textContent = 'Select and copy'
          }
        )
      })
      pre.parentNode.appendChild(button)
    })
  }

  function initSearch(form) {
    var q = form.querySelector('#q')
    var type = form.querySelector('#type')
    var tag = form.querySelector('#tag')
    var publisher = form.querySelector('#publisher')
    var status = document.getElementById('status')
    var results = document.getElementById('results')
    var list = document.getElementById('result-list')
    var more = document.getElementById('more')
    var ranked = document.getElementById('ranked')
    var indexUrl = new URL(form.getAttribute('data-index'), location.href)
    var packagesBase = form.getAttribute('data-packages')
    var cache = new Map()
    var generation = 0
    var shown = []
    var timer = 0
    var markPending = false

    function getJson(rel) {
      if (!cache.has(rel)) {
        cache.set(
          rel,
          fetch(new URL(rel, indexUrl)).then(function (r) {
            if (r.ok) return r.json()
            if (r.status === 404) return null
            throw new Error('HTTP ' + r.status)
          })
        )
      }
      return cache.get(rel)
    }

    function matches(shard, token, prefix) {
      var found = new Map()
      if (!shard) return found
      var add = function (positions) {
        positions.forEach(function (i) {
          found.set(shard.ids[i], { score: shard.scores[i], type: shard.types[i] })
        })
      }
      if (prefix) {
        Object.keys(shard.tokens).forEach(function (t) {
          if (t.slice(0, token.length) === token) add(shard.tokens[t])
        })
      } else if (own(shard.tokens, token)) add(shard.tokens[token])
      return found
    }

    function rank(a, b) {
      return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    }

    function item(hit, header) {
      var li = document.createElement('li')
      li.className = 'card'
      var h3 = document.createElement('h3')
      var a = document.createElement('a')
      var slash = hit.id.indexOf('/')
      a.setAttribute('href', packagesBase + hit.id + '.html')
      a.textContent = hit.id.slice(slash + 1)
      h3.appendChild(a)
      var meta = document.createElement('p')
      meta.className = 'meta'
      var typeName = header.types[hit.type] || ''
      meta.textContent = (TYPE_LABEL[typeName] || typeName) + ' · ' + hit.id.slice(0, slash) + ' · score ' + (hit.score < 0 ? 'not scored yet' : (hit.score / 1000).toFixed(2))
      var desc = document.createElement('p')
      desc.className = 'description'
      desc.setAttribute('dir', 'auto')
      li.appendChild(h3)
      li.appendChild(meta)
      li.appendChild(desc)
      getJson('docs/' + bucketOf(hit.id, header.buckets).toString(16) + '.json').then(function (docs) {
        if (!docs || !own(docs, hit.id)) return
        var doc = docs[hit.id]
        meta.textContent = (TYPE_LABEL[doc.type] || doc.type) + ' · ' + doc.version + ' · ' + hit.id.slice(0, slash) + ' · score ' + (doc.score === null ? 'not scored yet' : doc.score.toFixed(2))
        desc.textContent = doc.description
        li.setAttribute('data-ready', '')
        if (markPending) {
          markPending = false
          performance.mark('catalog-first-result')
        }
      })
      return li
    }

    function showMore(header) {
      var start = list.children.length
      shown.slice(start, start + PAGE_SIZE).forEach(function (hit) {
        list.appendChild(item(hit, header))
      })
      more.hidden = list.children.length >= shown.length
    }

    function run() {
      var mine = ++generation
      var text = q.value
      var terms = words(text)
      var constraints = terms.map(function (t, i) {
        var last = i === terms.length - 1 && !/\s$/.test(text)
        return { token: t, prefix: last && Array.from(t).length >= SHARD_PREFIX }
      })
      var tagValue = tag.value.trim().toLowerCase()
      if (tagValue) constraints.push({ token: '#' + tagValue, prefix: false })
      var publisherValue = publisher.value.trim().toLowerCase().replace(/^@/, '')
      if (publisherValue) constraints.push({ token: '@' + publisherValue, prefix: false })
      var typeValue = type.value
      if (!constraints.length && !typeValue) {
        results.hidden = true
        ranked.hidden = false
        status.textContent = text.trim() ? 'Type at least two letters of a word.' : ''
        return
      }
      performance.mark('catalog-query-start')
      markPending = true
      status.textContent = 'Searching…'
      // The header first: it says which keys were split, so which shard each word is in.
      var pending = getJson('index.json').then(function (header) {
        var split = new Set(header.split)
        var wanted = constraints.length
          ? constraints.map(function (c) {
              return getJson('shards/' + shardFile(shardFor(c.token, split)) + '.json')
            })
          : [getJson('top.json')]
        return Promise.all([header].concat(wanted))
      })
      pending
        .then(function (got) {
          if (mine !== generation) return
          var header = got[0]
          var typeCode = typeValue ? header.types.indexOf(typeValue) : -1
          var hits
          if (!constraints.length) {
            var top = got[1]
            hits = top.ids.map(function (id, i) {
              return { id: id, score: top.scores[i], type: top.types[i] }
            })
          } else {
            var sets = constraints.map(function (c, i) {
              return matches(got[i + 1], c.token, c.prefix)
            })
            sets.sort(function (a, b) {
              return a.size - b.size
            })
            hits = []
            sets[0].forEach(function (v, id) {
              for (var k = 1; k < sets.length; k++) if (!sets[k].has(id)) return
              hits.push({ id: id, score: v.score, type: v.type })
            })
          }
          if (typeCode >= 0)
            hits = hits.filter(function (h) {
              return h.type === typeCode
            })
          hits.sort(rank)
          shown = hits
          list.textContent = ''
          results.hidden = false
          ranked.hidden = true
          var scope = constraints.length ? '' : ' among the ' + got[1].ids.length + ' best-ranked packages (type a word to search all ' + header.packages + ')'
          status.textContent = hits.length ? hits.length + (hits.length === 1 ? ' package matches' : ' packages match') + scope + '.' : 'No package matches' + scope + '.'
          showMore(header)
          more.onclick = function () {
            showMore(header)
          }
        })
        .catch(function () {
          if (mine !== generation) return
          results.hidden = true
          ranked.hidden = false
          status.textContent =
            location.protocol === 'file:'
              ? 'Search needs the catalog served over http(s): a page opened from a file cannot load the index. The packages below are ranked by score.'
              : 'The search index could not be loaded. The packages below are ranked by score.'
        })
    }

    function schedule() {
      clearTimeout(timer)
      timer = setTimeout(run, 60)
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault()
      run()
    })
    ;[q, tag, publisher].forEach(function (el) {
      el.addEventListener('input', schedule)
    })
    type.addEventListener('change', run)
    if (q.value || tag.value || publisher.value || type.value) run()
  }

  fillPlaceholders()
  addCopyButtons()
  var form = document.getElementById('search')
  if (form) initSearch(form)
  window.catalogWords = { words: words, shardKey: shardKey, shardFor: shardFor, shardFile: shardFile, bucketOf: bucketOf }
})()
`

export const CATALOG_STYLE = `/* marketplace-actions catalog */
:root { --text: #1b1f24; --muted: #4a5361; --bg: #ffffff; --panel: #f4f6f9; --line: #d0d7de; --link: #0b57d0; --accent: #1d4ed8; --ok: #116329; --bad: #a40e26; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, pre:focus-visible, main:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem 1rem; z-index: 1; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site, footer.site { background: var(--panel); border-bottom: 1px solid var(--line); padding: .75rem 1rem; }
footer.site { border-top: 1px solid var(--line); border-bottom: 0; color: var(--muted); font-size: .9rem; margin-top: 3rem; }
.brand { font-weight: 700; text-decoration: none; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .5rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: .25rem 0; overflow-wrap: anywhere; }
.meta, .crumbs, .note, figcaption { color: var(--muted); }
.description { overflow-wrap: anywhere; }
.search { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; background: var(--panel); padding: .75rem; border: 1px solid var(--line); border-radius: 8px; }
.field { display: flex; flex-direction: column; min-width: 9rem; flex: 1 1 9rem; }
.field.grow { flex: 3 1 16rem; }
label { font-weight: 600; font-size: .95rem; }
input, select, button { font: inherit; color: var(--text); padding: .45rem .6rem; border: 1px solid #6e7781; border-radius: 6px; background: var(--bg); min-height: 2.5rem; }
button { cursor: pointer; background: var(--panel); }
.status { min-height: 1.5rem; }
.cards { list-style: none; padding: 0; display: grid; gap: .75rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.card p { margin: .25rem 0; }
.tags { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .35rem; margin: .4rem 0; }
.tags li { background: #e7edf5; border-radius: 999px; padding: 0 .6rem; font-size: .85rem; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; white-space: pre; }
.command { display: flex; gap: .5rem; align-items: flex-start; }
.command pre { flex: 1; margin: .25rem 0; min-width: 0; }
.client h3 { margin-top: 1rem; }
.client p { margin: .2rem 0; }
.fill { font-style: normal; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.digest { overflow-wrap: anywhere; word-break: break-all; }
.markdown { overflow-wrap: anywhere; }
.markdown pre { white-space: pre-wrap; }
.markdown blockquote { border-left: 4px solid var(--line); margin: 0; padding-left: 1rem; color: var(--muted); }
.verdict-passed strong { color: var(--ok); }
.verdict-failed strong { color: var(--bad); }
.score-chart { margin: .5rem 0; max-width: 100%; }
.score-chart svg { max-width: 100%; height: auto; }
.score-chart .label, .score-chart .value { fill: var(--text); font-size: 12px; font-family: system-ui, sans-serif; }
.score-chart .total { font-weight: 700; }
.score-chart .track { fill: #e6e9ee; }
.score-chart .bar { fill: #9bbcf0; }
.score-chart .share { fill: #1d4ed8; }
.score-chart .total-bar { fill: #0f766e; }
.components caption { text-align: left; font-weight: 600; }
@media (max-width: 36rem) {
  main { padding: .75rem; }
  h1 { font-size: 1.5rem; }
  .command { flex-direction: column; align-items: stretch; }
}
`
