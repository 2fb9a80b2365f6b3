import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as m,c as g,d as k,e as u,f as c,g as f}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as s,b as o,g as p}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as d}from"./chunk-CTZDSPPR.js";var $=`Usage: marketplace-actions marketplace <add|list|update|remove> ...

  marketplace add <source> [--name N] [--allow-origin URL]
      Registers a marketplace and caches its index. A source is a GitHub repository
      (owner/repo), an https URL of a registry.json, of an Agent Skills index.json or of an
      origin serving /registry.json or /.well-known/agent-skills/index.json, or a local folder
      (a clone of a marketplace repository). --allow-origin adds an origin artifacts may come
      from (a CDN); nothing is fetched from any other origin.
  marketplace list
      The registered marketplaces, their package counts and when their cache was fetched.
  marketplace update [N]
      Refreshes the cached index of N (or of all): one conditional request each. What is
      installed never changes; run \`update\` for that.
  marketplace remove N
      Forgets a marketplace and its cache. Packages installed from it stay installed.

${g}

Exit codes: 0 done; 1 the marketplace could not be added, found or refreshed; 2 usage error.
`,y={...m,name:{type:"string"},"allow-origin":{type:"string",multiple:!0}};async function P(h,t){let{values:r,positionals:w}=p(h,y),[l,...n]=w;if(r.help||l===void 0)return t.stdout.write($),r.help?s.ok:s.usage;let i=k(r,t);return f(t,async()=>{switch(l){case"add":{if(n.length!==1)throw new o("marketplace add takes one source");let e=await i.addMarketplace(n[0],{...r.name?{name:r.name}:{},...r["allow-origin"]?{allowOrigins:r["allow-origin"]}:{}});return r.json?c(e,t):t.stdout.write(`Added marketplace ${e.record.name} (${e.record.type}: ${e.record.source}) with ${e.packages} package${e.packages===1?"":"s"}.
`),s.ok}case"list":{if(n.length)throw new o("marketplace list takes no arguments");let e=await i.listMarketplaces();if(r.json)c(e,t);else if(!e.length)t.stdout.write("No marketplace is registered. Add one with `marketplace add <source>`.\n");else for(let a of e)t.stdout.write(`${a.record.name}	${a.record.type}	${a.record.source}	${a.packages} packages	${a.fetched_at?`fetched ${a.fetched_at}`:"not fetched"}
`);return s.ok}case"update":{if(n.length>1)throw new o("marketplace update takes at most one name");let e=await i.updateMarketplaces(n[0]);if(r.json)c(e,t);else for(let a of e)t.stdout.write(`${a.name}: ${a.packages} packages${a.warning?"":", up to date"}
`);return u(e.flatMap(a=>a.warning?[a.warning]:[]),t),e.some(a=>a.warning)?s.findings:s.ok}case"remove":{if(n.length!==1)throw new o("marketplace remove takes one name");return await i.removeMarketplace(n[0]),t.stdout.write(`Removed marketplace ${n[0]}; packages installed from it stay installed.
`),s.ok}default:throw new o(`unknown marketplace subcommand \`${l}\`; use add, list, update or remove`)}})}d(P,"marketplace");export{$ as MARKETPLACE_HELP,P as marketplace};
