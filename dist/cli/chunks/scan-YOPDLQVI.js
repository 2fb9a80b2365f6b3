import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as r}from"./chunk-AEOSNSWU.js";import{f as a,h as n,i as s,j as c,l as i,n as l,o as f,p as d}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-FQEZTH6O.js";import{a as t}from"./chunk-UWGF2EJE.js";var O=`Usage: marketplace-actions scan [--root DIR] [PACKAGE_DIR...]
       marketplace-actions scan [--root DIR] --base REF [--head REF]

Scans packages for what must never reach a user's agent: links and paths that leave the
package, oversized, binary and archived files, hidden Unicode, secrets, prompt injection,
dangerous code and unsafe MCP server configs. Nothing in a package is run or followed.

  --root DIR       marketplace root (default: the current directory)
  --base REF       scan only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to scan (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Secrets are never printed: findings show their first characters and length.
Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;async function k(h,o){let{values:e,positionals:u}=i(h,{...n,...s,...l});if(e.help)return o.stdout.write(O),a.ok;let p=c(e,o),g=f(e,u,p,o),{runOnSource:m}=await import("./source-BVXFGWUO.js"),{safetyCheck:E}=await import("./safety-C75WRBZO.js"),I=await m(g,[E],{configFile:e.config,toolVersion:r});return d(I,e,o)}t(k,"scan");export{O as SCAN_HELP,k as scan};
