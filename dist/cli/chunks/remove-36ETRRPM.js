import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as l,c as g,d as m,f as c,g as f}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a,b as s,g as i}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as o}from"./chunk-CTZDSPPR.js";var v=`Usage: marketplace-actions remove <name> [--agent ID]

Removes a package installed from a marketplace: its skill folder or its mcp.json entry, and its
lockfile entry, together. Skills and servers that were not installed from a marketplace are
never touched. With --agent it is removed for that agent only; the files go when no agent
that has it is left. A package installed for every agent is removed with \`remove <name>\`.

  --agent ID    remove it for this agent only

${g}
`;async function u(d,t){let{values:n,positionals:r}=i(d,{...l,agent:{type:"string"}});if(n.help)return t.stdout.write(v),a.ok;if(r.length!==1)throw new s("remove takes one installed name");let p=m(n,t);return f(t,async()=>{let e=await p.remove(r[0],n.agent===void 0?{}:{agent:n.agent});return n.json?c(e,t):e.remaining_agents?t.stdout.write(`Removed ${e.package} for agent ${n.agent??"?"}; it stays for ${e.remaining_agents.join(", ")}.
`):t.stdout.write(`Removed ${e.package}@${e.version??"?"} (${e.location}).
`),a.ok})}o(u,"remove");export{v as REMOVE_HELP,u as remove};
