import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as r,c as d,d as c,e as l,f as u,g as p}from"./chunk-2KKBNTYF.js";import"./chunk-X4ZICSEV.js";import{f as n,l as i}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-2PZ6GTPS.js";import"./chunk-TP4GIOBX.js";import"./chunk-SKSAOVGK.js";import"./chunk-5ZB5ZRVW.js";import"./chunk-BVONH6QF.js";import"./chunk-BRX7RAGR.js";import"./chunk-MTJ5DJ6C.js";import"./chunk-46YCQ5KK.js";import"./chunk-FQEZTH6O.js";import{a as o}from"./chunk-UWGF2EJE.js";var w=`Usage: marketplace-actions update [name...] [--force]

Updates installed packages (all, or those named), digest first: the digest the marketplace
advertises now is compared with the one in the lockfile; equal means nothing is downloaded.
A different digest means the new artifact is fetched, verified against it, and swapped in
atomically with the lockfile. A change to metadata only (a description) changes no digest and
is a no-op. When no digest is advertised, the content hash of the fetched files decides.

  --force    reinstall even when the digest is unchanged
${d}

Exit codes: 0 all up to date or updated; 1 some package could not be updated (it stays as it
was); 2 usage error.
`,k={...r,force:{type:"boolean"}};async function y(f,t){let{values:s,positionals:h}=i(f,k);if(s.help)return t.stdout.write(w),n.ok;let m=c(s,t);return p(t,async()=>{let{results:a,warnings:g}=await m.update(h,{force:s.force===!0});if(l(g,t),s.json)u(a,t);else if(!a.length)t.stdout.write(`Nothing is installed from a marketplace.
`);else for(let e of a)e.status==="updated"?t.stdout.write(`${e.name}: updated ${e.from??"?"} -> ${e.to??"?"}
`):e.status==="unchanged"?t.stdout.write(`${e.name}: up to date
`):t.stdout.write(`${e.name}: ${e.status}${e.message?` (${e.message})`:""}
`);return a.some(e=>e.status==="error")?n.findings:n.ok})}o(y,"update");export{w as UPDATE_HELP,y as update};
