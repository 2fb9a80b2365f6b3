import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as r,c as d,d as l,e as c,f as p,g as u}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as n,g as o}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as i}from"./chunk-CTZDSPPR.js";var w=`Usage: marketplace-actions update [name...] [--force]

Updates installed packages (all, or those named), digest first: the digest the marketplace
advertises now is compared with the one in the lockfile; equal means nothing is downloaded.
A different digest means the new artifact is fetched, verified against it, and swapped in
atomically with the lockfile. A change to metadata only (a description) changes no digest and
is a no-op. When no digest is advertised, the content hash of the fetched files decides.
A package installed at a version you named is pinned: it is reported and left as it is.

  --force    reinstall even when the digest is unchanged
${d}

Exit codes: 0 all up to date or updated; 1 some package could not be updated (it stays as it
was); 2 usage error.
`,$={...r,force:{type:"boolean"}};async function P(f,t){let{values:s,positionals:m}=o(f,$);if(s.help)return t.stdout.write(w),n.ok;let g=l(s,t);return u(t,async()=>{let{results:a,warnings:h}=await g.update(m,{force:s.force===!0});if(c(h,t),s.json)p(a,t);else if(!a.length)t.stdout.write(`Nothing is installed from a marketplace.
`);else for(let e of a)e.status==="updated"?t.stdout.write(`${e.name}: updated ${e.from??"?"} -> ${e.to??"?"}
`):e.status==="unchanged"?t.stdout.write(`${e.name}: up to date
`):e.status==="pinned"?t.stdout.write(`${e.name}: ${e.message??"pinned"}
`):t.stdout.write(`${e.name}: ${e.status}${e.message?` (${e.message})`:""}
`);return a.some(e=>e.status==="error")?n.findings:n.ok})}i(P,"update");export{w as UPDATE_HELP,P as update};
