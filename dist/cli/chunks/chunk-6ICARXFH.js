import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as I}from"./chunk-DM7ZJA2T.js";import{a as s}from"./chunk-MZJOHIXB.js";import{a as i,b as c,c as d,d as h,e as f,g as u,i as l,j as p,k as m,l as g}from"./chunk-PW5GOWHE.js";import{a as o}from"./chunk-CTZDSPPR.js";var F=`Usage: marketplace-actions scan [--root DIR] [PACKAGE_DIR...]
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
`;async function L(r,t){let{values:e,positionals:E}=u(r,{...d,...h,...m,...l,threads:{type:"string"}});if(e.help)return t.stdout.write(F),i.ok;let O=f(e,t),w=g(e,E,O,t),a=p(e),n=b(e.threads),{runOnSource:R}=await import("./source-T2MIVHHI.js"),{createSafetyCheck:k}=await import("./safety-HOFKP7AO.js"),N=await R(w,[k(n===void 0?{}:{threads:n})],{configFile:e.config,toolVersion:s,...a?{shard:a}:{}});return I(N,e,t)}o(L,"scan");function b(r){if(r!==void 0){if(!/^[1-9][0-9]{0,2}$/.test(r))throw new c(`--threads takes a whole number from 1 to 999, not ${JSON.stringify(r)}`);return Number(r)}}o(b,"threadsOf");export{F as a,L as b,b as c};
