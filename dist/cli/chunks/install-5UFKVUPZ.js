import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as c,c as p,d as g,e as k,f as d,g as m}from"./chunk-2KKBNTYF.js";import"./chunk-X4ZICSEV.js";import{f as s,g as l,l as i}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-2PZ6GTPS.js";import"./chunk-TP4GIOBX.js";import"./chunk-SKSAOVGK.js";import"./chunk-5ZB5ZRVW.js";import"./chunk-BVONH6QF.js";import"./chunk-BRX7RAGR.js";import"./chunk-MTJ5DJ6C.js";import"./chunk-46YCQ5KK.js";import"./chunk-FQEZTH6O.js";import{a as o}from"./chunk-UWGF2EJE.js";var w=`Usage: marketplace-actions install <@publisher/package[@version] | name@marketplace | name> [--agent ID] [--force]

Installs a package: a skill into <workspace>/skills/<name>/, an MCP server into
<workspace>/mcp.json (\`mcpServers\`, with its package version pinned). The download is verified
against the digest the marketplace advertises before anything is written; the install and the
lockfile (<workspace>/.marketplace/installed.json) change together or not at all. Nothing from
the package is run. A skill or server of the same name that was not installed from a
marketplace wins, with a warning, unless --force.

  --agent ID         record the agent the package is installed for
  --marketplace N    resolve in this marketplace only
  --force            replace a local skill or server of the same name; reinstall an unchanged package
${p}

Exit codes: 0 installed (or already up to date, or a local package won); 1 not found, refused
or failed (nothing changed); 2 usage error.
`,v={...c,agent:{type:"string"},marketplace:{type:"string"},force:{type:"boolean"}};async function P(h,a){let{values:e,positionals:r}=i(h,v);if(e.help)return a.stdout.write(w),s.ok;if(r.length!==1)throw new l("install takes one package: @publisher/package[@version], name@marketplace or name");let f=g(e,a);return m(a,async()=>{let n=await f.install(r[0],{...e.agent?{agent:e.agent}:{},...e.marketplace?{marketplace:e.marketplace}:{},force:e.force===!0});if(k(n.warnings,a),e.json)d(n,a);else if(n.entry){let t=n.entry,u={installed:"Installed",updated:"Updated",unchanged:"Already up to date:",skipped:"Skipped"}[n.status];a.stdout.write(`${u} ${t.package}@${t.version??"?"} as ${t.location} (from ${t.marketplace}, ${t.digest??t.content_hash})
`)}else a.stdout.write(`Skipped ${r[0]}: a local package of that name wins (see the warning).
`);return s.ok})}o(P,"install");export{w as INSTALL_HELP,P as install};
