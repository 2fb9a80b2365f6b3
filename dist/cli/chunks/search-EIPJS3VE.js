import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{d as f}from"./chunk-DPLPOKUY.js";import{b as p,c as m,d,e as u,f as h,g as w}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as o,b as a,g as l}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as c}from"./chunk-CTZDSPPR.js";var N=`Usage: marketplace-actions search <query> [--type skill|mcp-server] [--limit N] [--json]

Searches every registered marketplace's cached index (refreshed when older than an hour; a
marketplace that cannot be reached is searched from its cache, with a warning). Ranked by name,
tags and description, with the quality score as a signal. Each result shows what to pass to
\`install\`, the version, the score and the review verdict.

  --type T     only skill or mcp-server packages
  --limit N    at most N results (default 20)
${m}
`,I={...p,type:{type:"string"},limit:{type:"string"}};async function x(v,t){let{values:r,positionals:y}=l(v,I);if(r.help)return t.stdout.write(N),o.ok;let s=r.type;if(s!==void 0&&s!=="skill"&&s!=="mcp-server")throw new a("--type must be skill or mcp-server");let n=r.limit===void 0?20:Number(r.limit);if(!Number.isInteger(n)||n<1||n>1e3)throw new a("--limit must be a whole number from 1 to 1000");let g=d(r,t);return w(t,async()=>{let{results:k,warnings:$}=await g.search(y.join(" "),{...s?{type:s}:{},limit:n});u($,t);let i=k.map(f);if(r.json)h(i,t);else if(!i.length)t.stdout.write(`No packages found.
`);else for(let e of i){let E=e.score===null?"unscored":`score ${e.score.toFixed(2)}`,b=e.verdict===null?"not reviewed":e.verdict==="pass"?"review passed":"review FAILED";t.stdout.write(`${e.install}${e.version?`@${e.version}`:""}  [${e.type}]  ${E}, ${b}  (${e.marketplace})
    ${e.description}
`)}return o.ok})}c(x,"search");export{N as SEARCH_HELP,x as search};
