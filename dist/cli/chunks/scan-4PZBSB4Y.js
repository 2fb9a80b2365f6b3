import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as u}from"./chunk-DM7ZJA2T.js";import{a as t}from"./chunk-MZJOHIXB.js";import{a as n,c as s,d as c,e as i,g as d,i as h,j as l,k as f,l as p}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import{a as r}from"./chunk-CTZDSPPR.js";var w=`Usage: marketplace-actions scan [--root DIR] [PACKAGE_DIR...]
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
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Secrets are never printed: findings show their first characters and length.
Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;async function S(m,o){let{values:e,positionals:g}=d(m,{...s,...c,...f,...h});if(e.help)return o.stdout.write(w),n.ok;let I=i(e,o),E=p(e,g,I,o),a=l(e),{runOnSource:O}=await import("./source-6I3UPA2T.js"),{safetyCheck:R}=await import("./safety-OVJGAPGZ.js"),k=await O(E,[R],{configFile:e.config,toolVersion:t,...a?{shard:a}:{}});return u(k,e,o)}r(S,"scan");export{w as SCAN_HELP,S as scan};
