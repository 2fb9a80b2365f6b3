import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as l,c as m,d as c,f as p,g as d}from"./chunk-2KKBNTYF.js";import"./chunk-X4ZICSEV.js";import{f as o,g as a,l as i}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-2PZ6GTPS.js";import"./chunk-TP4GIOBX.js";import"./chunk-SKSAOVGK.js";import"./chunk-5ZB5ZRVW.js";import"./chunk-BVONH6QF.js";import"./chunk-BRX7RAGR.js";import"./chunk-MTJ5DJ6C.js";import"./chunk-46YCQ5KK.js";import"./chunk-FQEZTH6O.js";import{a as s}from"./chunk-UWGF2EJE.js";var f=`Usage: marketplace-actions remove <name>

Removes a package installed from a marketplace: its skill folder or its mcp.json entry, and its
lockfile entry, together. Skills and servers that were not installed from a marketplace are
never touched.

${m}
`;async function E(k,e){let{values:r,positionals:n}=i(k,l);if(r.help)return e.stdout.write(f),o.ok;if(n.length!==1)throw new a("remove takes one installed name");let v=c(r,e);return d(e,async()=>{let t=await v.remove(n[0]);return r.json?p(t,e):e.stdout.write(`Removed ${t.package}@${t.version??"?"} (${t.location}).
`),o.ok})}s(E,"remove");export{f as REMOVE_HELP,E as remove};
