import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as r,c as $}from"./chunk-JQSF2L4Q.js";import"./chunk-NM5JBDSN.js";import{a as m}from"./chunk-UWGF2EJE.js";var k="<!-- marketplace-actions:review -->",u=6e4,v={error:"\u274C",warning:"\u26A0\uFE0F",notice:"\u2139\uFE0F"};function M(n,a={}){let c=a.maxFindingsPerPackage??30,t=n.counts,f=n.verdict==="pass"?"## \u2705 Marketplace review passed":`## \u274C Marketplace review failed: ${t.error} error${t.error===1?"":"s"}`,o=[k,f,""];if(o.push(`${n.packages.length} package${n.packages.length===1?"":"s"} reviewed, ${t.error} error${t.error===1?"":"s"}, ${t.warning} warning${t.warning===1?"":"s"}${t.notice?`, ${t.notice} notice${t.notice===1?"":"s"}`:""}.`,""),n.packages.length){o.push("<table><tr><th>Package</th><th>Version</th><th>Change</th><th>Result</th></tr>");for(let e of n.packages){let s=e.previous_version&&e.version?`${e.previous_version} \u2192 ${e.version}`:e.version??"",i=e.renamed_from?`${e.status} (from ${e.renamed_from})`:e.status;o.push(`<tr><td><code>${r(e.id)}</code></td><td>${r(s)}</td><td>${r(i)}</td><td>${e.verdict==="pass"?"\u2705 pass":"\u274C fail"}</td></tr>`)}o.push("</table>","")}let p=new Map;for(let e of n.findings)p.set(e.package??"",[...p.get(e.package??"")??[],e]);for(let[e,s]of[...p.entries()].sort(([i],[l])=>i<l?-1:i>l?1:0)){let i=s.filter(g=>g.severity==="error"&&g.allowed===void 0).length,l=e?`<code>${r(e)}</code>`:"Marketplace";o.push(`<details${i?" open":""}><summary>${l}: ${s.length} finding${s.length===1?"":"s"}${i?`, ${i} blocking`:""}</summary>`,"");for(let g of s.slice(0,c))o.push(w(g));s.length>c&&o.push("",`\u2026and ${s.length-c} more in the job summary and the review report.`),o.push("","</details>","")}let d=o.join(`
`),h=`
---
<sub>marketplace-actions ${r(n.tool.version)}${a.runUrl?` \xB7 <a href="${encodeURI(a.runUrl)}">workflow run</a>`:""} \xB7 rules and fixes: docs/rules.md</sub>
`;if(d.length+h.length>u){let e=d.lastIndexOf(`
- `,u-h.length-200);d=`${d.slice(0,e>0?e:u/2)}

\u2026the comment is cut here to fit GitHub's size limit; see the job summary and the review report.

</details>
`}return d+h}m(M,"renderComment");function w(n){let a=$(n),c=n.allowed!==void 0?` (allowed by the marketplace config: ${r(n.allowed)})`:"",t=[`- ${v[n.severity]} <b>${r(n.rule)}</b>${a?` at <code>${r(a)}</code>`:""}${c}<br>${r(n.message)}`];return n.hint&&t.push(`  <br><i>Fix:</i> ${r(n.hint)}`),t.join(`
`)}m(w,"renderFinding");export{k as COMMENT_MARKER,u as MAX_COMMENT_CHARS,M as renderComment};
