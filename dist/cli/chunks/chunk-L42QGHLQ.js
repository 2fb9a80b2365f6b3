import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{D as ce,a as ee,c as te,d as re,g as ne,j as ae,k as ie,n as oe,p as se,s as w}from"./chunk-FKYCBTHB.js";import{a as Q}from"./chunk-6LHJ7LYD.js";import{b as P,c as J,d as Y,h as W,i as X,m as Z,s as T}from"./chunk-F6QVQYQU.js";import{a as b,c as q,d as K}from"./chunk-26POMJSR.js";import{a as S}from"./chunk-NYBZ2YE5.js";import{a as m,d as x}from"./chunk-6ULM4UQR.js";import{d as k}from"./chunk-PGNJQZ4R.js";import{h as V}from"./chunk-UYFRPS2G.js";import{a as H}from"./chunk-4QSJSTR2.js";import{d as O,e as z,f as M,g as N,h as $,i as U,n as D}from"./chunk-FMS5ISIW.js";import{a as C}from"./chunk-GHX7BAMH.js";import{a as G}from"./chunk-VWQMZ5ST.js";import{a as F}from"./chunk-PDMT7P3D.js";import{a as i}from"./chunk-CTZDSPPR.js";import{createHash as ye}from"node:crypto";async function le(t,e,r,n){if(!H.test(e.publisher))return{ok:!1,problem:"publisher",detail:`\`${e.publisher}\` is not a GitHub login`,findings:[]};let a=n??await t.walk(e.dir),o=new B(t),c=await V(o,e,a,r);if(!c.valid||!c.manifest){let l=c.findings.length;return{ok:!1,problem:"manifest",detail:`its manifest.yaml has ${l} problem${l===1?"":"s"}`,findings:c.findings}}let s=r.limits.package_bytes,u,p=[];try{let l=de(e,a);await o.readAtOnce(l?[...b(e,a),l]:b(e,a),s);for(let g of b(e,a)){let y=await o.read(g,s);p.push({path:g.path.slice(e.dir.length+1),mode:g.mode,bytes:y,sha256:K(y)})}u=q(p)}catch(l){if(l instanceof F)return{ok:!1,problem:"unreadable",detail:`${l.path} is ${l.size} bytes, more than the package limit of ${s}`,findings:[]};throw l}let f={ref:e,manifest:c.manifest,digest:u,files:p},d=de(e,a);if(d)try{f.reviewRecord=await o.read(d,s)}catch(l){if(!(l instanceof F))throw l;f.reviewRecord=new Uint8Array}return{ok:!0,pkg:f,findings:c.findings}}i(le,"readPackage");function de(t,e){return e.find(r=>r.path===`${t.dir}/${M}`&&r.kind==="file")}i(de,"reviewRecordEntry");var B=class{constructor(e){this.inner=e;this.kind=e.kind,this.description=e.description}inner;static{i(this,"MemoSnapshot")}kind;description;cache=new Map;list(e){return this.inner.list(e)}walk(e){return this.inner.walk(e)}stat(e){return this.inner.stat(e)}async read(e,r){let n=`${e.oid??""}\0${e.path}`,a=this.cache.get(n);if(a&&a.length<=r)return a;let o=await this.inner.read(e,r);return this.cache.set(n,o),o}async readAtOnce(e,r){await Promise.all(e.map(n=>this.read(n,r).catch(()=>{})))}close(){return Promise.resolve()}};function pe(t){let e=0;return{read(r,n,a){return e++,le(r,n,t,a)},get count(){return e}}}i(pe,"packageReads");var Ce=20,ue=String.raw`// marketplace-actions catalog: install command placeholders, copy buttons, search.
(function () {
  'use strict'
  var STOPWORDS = new Set('${[...ee].join(" ")}'.split(' '))
  var MIN_TOKEN = ${2}
  var SHARD_PREFIX = ${3}
  var PAGE_SIZE = ${Ce}
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
`,fe=`/* marketplace-actions catalog */
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
`;async function he(t,e,r,n){let a=D(r.publisher,r.name),o=t.config.limits.package_bytes,c;if(n.publishedFromHead(k(r)))c=b(a,n.listing?.get(a.dir)??await t.head.walk(a.dir)).map(u=>({path:u.path.slice(a.dir.length+1),size:u.size,bytes:i(()=>t.head.read(u,o),"bytes")}));else{let s=[n.withheld.has(k(r))?void 0:t.head,r.commit?await t.pool.existing(r.commit):void 0];for(let u of s){if(!u||c)continue;let p=await e.read(u,a);p.ok&&p.pkg.digest===r.digest&&(c=p.pkg.files.map(f=>({path:f.path,size:f.bytes.length,bytes:i(()=>Promise.resolve(f.bytes),"bytes")})))}}return c?ge(r.type,r.entrypoint,c):{kind:"unavailable",problem:`The files of version ${r.version} could not be read from the marketplace's git history.`}}i(he,"packageContent");function st(t,e,r){return ge(t,e,r.map(n=>({path:n.path,size:n.bytes.length,bytes:i(()=>Promise.resolve(n.bytes),"bytes")})))}i(st,"publishedContent");async function ge(t,e,r){let n=r.map(s=>({path:s.path,size:s.size}));if(t==="skill"){let s=r.find(p=>p.path===O)??r.find(p=>p.path.toLowerCase()===O.toLowerCase()),u=s?C(await s.bytes()):void 0;return{kind:"skill",files:n,...u?.ok?{body:re(u.text)}:{}}}let a=r.find(s=>s.path===z)??r.find(s=>s.path===e),o=a?C(await a.bytes()):void 0,c=o?.ok?Fe(o.text):void 0;return{kind:"mcp-server",files:n,...c?{server:c}:{}}}i(ge,"contentOf");var h=i(t=>typeof t=="string"?t:void 0,"str"),me=i(t=>Array.isArray(t)?t:[],"arr"),v=i(t=>t!==null&&typeof t=="object"&&!Array.isArray(t)?t:{},"obj");function Fe(t){let e;try{e=JSON.parse(t)}catch{return}let r=v(e),n=h(r.description),a=h(r.version);return{...n!==void 0?{description:n}:{},...a!==void 0?{version:a}:{},packages:me(r.packages).map(o=>{let c=v(o),s=h(c.version);return{registryType:h(c.registryType)??"unknown",identifier:h(c.identifier)??"",...s!==void 0?{version:s}:{},transport:h(v(c.transport).type)??"stdio"}}),remotes:me(r.remotes).map(o=>({type:h(v(o).type)??"unknown",url:h(v(o).url)??""}))}}i(Fe,"mcpSummary");var Te="catalog/1",L="scores.json",Be=16;async function Pt(t,e){let r=pe(t.config),n=await Ie(t),a=new Set(e.siteFiles.map(d=>d.path)),o=[{area:"site",path:J,bytes:Buffer.from(ue,"utf8")},{area:"site",path:Y,bytes:Buffer.from(fe,"utf8")}],c=0,s=[];await G(e.packages,Be,async d=>{let l=k(d),g=e.names.get(l)??d.name,y={entry:d,installName:g,marketplace:e.marketplace,indexed:d.type==="skill"&&(a.has(T(d.publisher,d.name,d.version,"skill-md"))||a.has(T(d.publisher,d.name,d.version,"archive"))),plugin:e.plugins.has(g)},I=n.get(l);I&&(y.score=I);let R=_e(y),A=W(d.publisher,d.name);if(e.mode==="incremental"&&ze(await t.outputs.read("site",A),R)){s.push({area:"site",path:A});return}let Re=e.contents?.take(l)??await he(t,r,d,{publishedFromHead:i(j=>e.read.has(j)&&!e.withheld.has(j),"publishedFromHead"),...e.listing?{listing:e.listing}:{},withheld:e.withheld});c++;let _={area:"site",path:A,bytes:je(ae(y,Re,R),R)};s.push(e.emitter?await e.emitter.emit(_):_)}),o.push(...s.sort((d,l)=>d.path<l.path?-1:1));let u=e.packages.map(Le),p=new Map;for(let d of u){let l=p.get(d.publisher);l?l.push(d):p.set(d.publisher,[d])}let f=i(async d=>e.emitter?e.emitter.emit(d):d,"emit");for(let[d,l]of p)o.push(await f({area:"site",path:X(d),bytes:Buffer.from(ie(d,l,e.marketplace),"utf8")}));o.push(await ce(e.emitter,"site",P,[Buffer.from(oe(u,e.marketplace),"utf8")]));for(let d of ne(u))o.push(await f(d));return{files:o,packagesRead:r.count,pagesRendered:c}}i(Pt,"catalogFiles");function Le(t){return{id:k(t),publisher:t.publisher,name:t.name,type:t.type,version:t.version,description:te(t.description??""),tags:t.tags,score:t.score}}i(Le,"searchPackage");async function Ie(t){let e=x(await t.outputs.read("root",L));return e===void 0||!Q(e)?new Map:new Map(e.packages.map(r=>[r.id,r]))}i(Ie,"readScores");var ke=i(t=>ye("sha256").update(t,"utf8").digest("hex"),"sha256");function _e(t){return ke(m([Te,t.entry,t.installName,t.marketplace,t.indexed,t.plugin,t.score??null]))}i(_e,"pageInput");var be=i(t=>`<meta name="catalog-input" content="${t}">`,"META");function je(t,e){let r=Buffer.from(t,"utf8"),n=ye("sha256").update(r).digest("hex").slice(0,32),a=be(e),o=t.indexOf(a);if(o<0)return r;let c=Buffer.byteLength(t.slice(0,o),"utf8")+a.length-2,s=Buffer.allocUnsafe(r.length+1+n.length);return r.copy(s,0,0,c),s.write(`.${n}`,c,"latin1"),r.copy(s,c+1+n.length,c),s}i(je,"seal");function ze(t,e){if(!t)return!1;let r=Buffer.from(t).toString("utf8"),n=/<meta name="catalog-input" content="([0-9a-f]{64})\.([0-9a-f]{32})">/.exec(r);return!n||n[1]!==e?!1:ke(r.replace(n[0],be(e))).slice(0,32)===n[2]}i(ze,"isPageOf");var Ot=1<<20;async function Ct(t,e,r,n,a,o){if(n<0||a<n)return;let c=t.readRange?await t.readRange(e,r,n,a,o):(await t.read(e,r))?.subarray(n,a);if(!(!c||c.byteLength!==a-n))return Buffer.from(c.buffer,c.byteOffset,c.byteLength)}i(Ct,"readRange");async function we(t,e,r){if(t.digest)return t.digest(e,r);let n=await t.read(e,r);return n?{size:n.byteLength,sha256:w(n)}:void 0}i(we,"digestOf");function Ft(t){let e=0;for(let r of t)e+=r instanceof Uint8Array?r.byteLength:r.end-r.start;return e}i(Ft,"partsSize");async function Tt(t,e,r,n,a){let o=await t.putSpliced(e,r,n,a);return o&&{...o,file:{area:e,path:r,recorded:{size:o.size,sha256:o.sha256}}}}i(Tt,"settleSpliced");var xe=".marketplace-actions-build.json",Se=1;function Pe(t){return[{area:"root",path:$},{area:"root",path:U},...t?[{area:"root",path:L}]:[],{area:"site",path:Z},...t?[{area:"site",path:P}]:[],{area:"site",path:se}]}i(Pe,"watchedFiles");function E(t){return{config:t.configFile??N,catalog:t.catalog!==!1}}i(E,"optionsOf");function Me(t,e,r){return{area:t,path:e,sha256:r?w(r):null,size:r?.byteLength??0}}i(Me,"recorded");function Dt(t,e,r,n){let a=new Map(r.map(s=>[`${s.area}:${s.path}`,s])),o=E(t),c=Pe(o.catalog).map(s=>{let u=`${s.area}:${s.path}`,p=a.get(u),f=p?.inPlace??p?.recorded;if(f)return{area:s.area,path:s.path,sha256:f.sha256,size:f.size};if(p&&!p.bytes)throw new Error(`the build record needs the bytes of ${s.path}`);return Me(s.area,s.path,p?p.bytes:n.get(u))});return{format:Se,generator:{name:S,version:t.toolVersion},commit:t.commit,registry_commit:e.commit??"",options:o,packages:e.packages.length,files:c}}i(Dt,"stateDraft");function Ht(t,e){let r={...t,files:t.files.map((a,o)=>({...a,stamp:e[o]?.whole??null,kept:e[o]?.kept??null}))},n=w(Buffer.from(m(r),"utf8"));return Buffer.from(m({...r,check:n}),"utf8")}i(Ht,"serializeBuildState");function Ne(t){let e=x(t);if(!e||typeof e!="object"||e.format!==Se||typeof e.check!="string")return;let{check:r,...n}=e;if(w(Buffer.from(m(n),"utf8"))===r&&!(typeof e.commit!="string"||typeof e.registry_commit!="string"||!Array.isArray(e.files)||typeof e.packages!="number"))return e}i(Ne,"parseBuildState");async function Gt(t){return Ne(await t.read("site",xe))}i(Gt,"readBuildState");async function Vt(t,e,r,n){if(!e)return{unchanged:!1,reason:"no build record"};if(e.generator?.name!==S||e.generator.version!==r.toolVersion)return{unchanged:!1,reason:"another toolkit version"};if(m(e.options)!==m(E(r)))return{unchanged:!1,reason:"other options"};if(!Ee(e,r))return{unchanged:!1,reason:"other files recorded"};let a=await $e(t,e);return a?{unchanged:!1,reason:`${a} changed`}:e.commit!==r.commit&&!await n(e.commit)?{unchanged:!1,reason:"the marketplace changed"}:{unchanged:!0,packages:e.packages}}i(Vt,"unchangedSince");function qt(t,e){return t.generator?.name===S&&t.generator.version===e.toolVersion&&m(t.options)===m(E(e))&&Ee(t,e)}i(qt,"recordFits");function Ee(t,e){let r=Pe(E(e).catalog);return m(t.files.map(n=>[n.area,n.path]))===m(r.map(n=>[n.area,n.path]))}i(Ee,"recordsWatchedFiles");function $e(t,e){let r=ve.get(e);return(!r||r.outputs!==t)&&(r={outputs:t,answer:Ue(t,e)},ve.set(e,r)),r.answer}i($e,"changedFile");var ve=new WeakMap;async function Ue(t,e){let r=t.stamp?await t.stamp("site",xe):void 0;for(let n of e.files){let a=t.stamp?await t.stamp(n.area,n.path):void 0;if(a!==void 0&&De(a,r)&&(a.whole===n.stamp||a.kept===n.kept))continue;let o=a===void 0&&t.stamp?void 0:await we(t,n.area,n.path);if(n.sha256===null?o!==void 0:!o||o.size!==n.size||o.sha256!==n.sha256)return n.path}}i(Ue,"firstChanged");function De(t,e){return e!==void 0&&t.mtimeNs<e.mtimeNs}i(De,"olderThan");export{pe as a,st as b,L as c,Pt as d,Le as e,Ot as f,Ct as g,Ft as h,Tt as i,xe as j,Dt as k,Ht as l,Gt as m,Vt as n,qt as o,$e as p};
