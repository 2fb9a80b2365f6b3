import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as o,c as p,d as c,e as d,f as u,g as m}from"./chunk-2KKBNTYF.js";import"./chunk-X4ZICSEV.js";import{f as s,g as i,l}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-2PZ6GTPS.js";import"./chunk-TP4GIOBX.js";import"./chunk-SKSAOVGK.js";import"./chunk-5ZB5ZRVW.js";import"./chunk-BVONH6QF.js";import"./chunk-BRX7RAGR.js";import"./chunk-MTJ5DJ6C.js";import"./chunk-46YCQ5KK.js";import"./chunk-FQEZTH6O.js";import{a as r}from"./chunk-UWGF2EJE.js";var v=`Usage: marketplace-actions installed [--json]

Lists the packages installed from marketplaces (the lockfile), with version, marketplace, the
verified digest, and whether the marketplace now advertises a different one (an update).

${p}
`;async function _(f,t){let{values:a,positionals:g}=l(f,o);if(a.help)return t.stdout.write(v),s.ok;if(g.length)throw new i("installed takes no arguments");let h=c(a,t);return m(t,async()=>{let{packages:n,warnings:k}=await h.installed();if(d(k,t),a.json)u(n,t);else if(!n.length)t.stdout.write(`Nothing is installed from a marketplace.
`);else for(let e of n){let w=e.update_available===null?"update status unknown":e.update_available?`update available: ${e.latest_version??"new digest"}`:"up to date";t.stdout.write(`${e.name}	${e.type}	${e.package}@${e.version??"?"}	${e.marketplace}	${e.digest??e.content_hash}	${w}
`)}return s.ok})}r(_,"installed");export{v as INSTALLED_HELP,_ as installed};
