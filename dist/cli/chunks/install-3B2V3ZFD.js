import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as c,c as p,d as g,e as h,f as d,g as k}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as r,b as o,g as l}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as i}from"./chunk-CTZDSPPR.js";var w=`Usage: marketplace-actions install <@publisher/package[@version] | name@marketplace | name> [--agent ID] [--force]

Installs a package: a skill into <workspace>/skills/<name>/, an MCP server into
<workspace>/mcp.json (\`mcpServers\`, with its package version pinned). The download is verified
against the digest the marketplace advertises before anything is written; the install and the
lockfile (<workspace>/.marketplace/installed.json) change together or not at all. Nothing from
the package is run. A skill or server of the same name that was not installed from a
marketplace wins, with a warning, unless --force.

@publisher/package@<version> installs that version, also an older one (verified against the
registry's digest for it), and pins it: \`update\` leaves it there until you install without a
version. Without --agent a package is installed for every agent; with it, for that agent (the
files are shared by the workspace; \`installed --agent ID\` shows what an agent has).

  --agent ID         install it for this agent (again for another agent adds that agent)
  --marketplace N    resolve in this marketplace only
  --force            replace a local skill or server of the same name; reinstall an unchanged package
${p}

Exit codes: 0 installed (or already up to date, or a local package won); 1 not found, refused
or failed (nothing changed); 2 usage error.
`,v={...c,agent:{type:"string"},marketplace:{type:"string"},force:{type:"boolean"}};async function b(m,a){let{values:e,positionals:s}=l(m,v);if(e.help)return a.stdout.write(w),r.ok;if(s.length!==1)throw new o("install takes one package: @publisher/package[@version], name@marketplace or name");let f=g(e,a);return k(a,async()=>{let n=await f.install(s[0],{...e.agent?{agent:e.agent}:{},...e.marketplace?{marketplace:e.marketplace}:{},force:e.force===!0});if(h(n.warnings,a),e.json)d(n,a);else if(n.entry){let t=n.entry,u={installed:"Installed",updated:"Updated",unchanged:"Already up to date:",skipped:"Skipped"}[n.status];a.stdout.write(`${u} ${t.package}@${t.version??"?"} as ${t.location} (from ${t.marketplace}, ${t.digest??t.content_hash})
`)}else a.stdout.write(`Skipped ${s[0]}: a local package of that name wins (see the warning).
`);return r.ok})}i(b,"install");export{w as INSTALL_HELP,b as install};
