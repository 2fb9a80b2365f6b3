import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as w,b as O}from"./chunk-34SIRBIO.js";import{a as f}from"./chunk-TCLRESUI.js";import{a as u,b as p,c as l,d as m,e as g,g as I,i as R,j as E,k as y,l as S}from"./chunk-PW5GOWHE.js";import{a as h}from"./chunk-FMS5ISIW.js";import{a as i}from"./chunk-CTZDSPPR.js";import{lstatSync as v,readdirSync as L}from"node:fs";import _ from"node:path";var P=`Usage: marketplace-actions scan [--root DIR] [PACKAGE_DIR...]
       marketplace-actions scan [--root DIR] --base REF [--head REF]
       marketplace-actions scan [--root DIR] [--head REF] --shard I/N --json FILE

Scans packages for what must never reach a user's agent: links and paths that leave the
package, oversized, binary and archived files, hidden Unicode, secrets, prompt injection,
dangerous code and unsafe MCP server configs. Nothing in a package is run or followed.

  --root DIR       marketplace root (default: the current directory)
  --base REF       scan only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to scan (default: HEAD; without --base, every package at it)
  --shard I/N      scan only shard I of N of every package (a re-audit split over jobs; a
                   package's shard depends only on its id); combine the --json reports of
                   shards 1..N with 'marketplace-actions merge'
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --threads N      scan a directory with N threads (default: one per core, at most 8);
                   1 scans on one thread. Commits (--base/--head) are scanned on one.
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Secrets are never printed: findings show their first characters and length.
Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;async function W(r,t){let{values:e,positionals:n}=I(r,{...l,...m,...y,...R,threads:{type:"string"}});if(e.help)return t.stdout.write(P),u.ok;let a=g(e,t),o=S(e,n,a,t),d=E(e),c=j(e.threads),s=await D(o,a,c);s&&O().catch(()=>{});try{let{runOnSource:k}=await import("./source-CYCXDNUB.js"),{createSafetyCheck:b}=await import("./check-AOIN54NW.js"),N={...c===void 0?{}:{threads:c},...s?{started:s}:{}},F=await k(o,[b(N)],{configFile:e.config,toolVersion:f,...d?{shard:d}:{}});return w(F,e,t)}finally{s?.release()}}i(W,"scan");var A=20;async function D(r,t,e){if(r.kind!=="directory"||r.paths?.length||e===1)return;let n;try{let o=_.join(t,h);n=v(o).isDirectory()?L(o).length:0}catch{return}if(n<A)return;let{startScanWorkers:a}=await import("./threads-JQLSIZAL.js");return a(e)}i(D,"startWorkersEarly");function j(r){if(r!==void 0){if(!/^[1-9][0-9]{0,2}$/.test(r))throw new p(`--threads takes a whole number from 1 to 999, not ${JSON.stringify(r)}`);return Number(r)}}i(j,"threadsOf");export{P as a,W as b,j as c};
