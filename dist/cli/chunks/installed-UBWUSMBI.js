import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as l,c as p,d,e as g,f as c,g as u}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as s,b as i,g as o}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as r}from"./chunk-CTZDSPPR.js";var w=`Usage: marketplace-actions installed [--agent ID] [--json]

Lists the packages installed from marketplaces (the lockfile), with version, marketplace, the
verified digest, and whether the marketplace now advertises a different one (an update).

  --agent ID    only what this agent has: installed for it, or for every agent

${p}
`;async function y(f,t){let{values:n,positionals:h}=o(f,{...l,agent:{type:"string"}});if(n.help)return t.stdout.write(w),s.ok;if(h.length)throw new i("installed takes no arguments");let m=d(n,t);return u(t,async()=>{let{packages:a,warnings:v}=await m.installed(n.agent===void 0?{}:{agent:n.agent});if(g(v,t),n.json)c(a,t);else if(!a.length)t.stdout.write(`Nothing is installed from a marketplace.
`);else for(let e of a){let k=e.pinned?`pinned${e.latest_version&&e.latest_version!==e.version?` (latest ${e.latest_version})`:""}`:e.update_available===null?"update status unknown":e.update_available?`update available: ${e.latest_version??"new digest"}`:"up to date";t.stdout.write(`${e.name}	${e.type}	${e.package}@${e.version??"?"}	${e.marketplace}	${e.digest??e.content_hash}	${k}	${e.agents?`agents: ${e.agents.join(",")}`:"every agent"}
`)}return s.ok})}r(y,"installed");export{w as INSTALLED_HELP,y as installed};
