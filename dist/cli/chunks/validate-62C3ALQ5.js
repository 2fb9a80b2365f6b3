import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{c as p}from"./chunk-FOKE65RR.js";import{a as f}from"./chunk-34SIRBIO.js";import{a as r}from"./chunk-TCLRESUI.js";import{a as c,c as n,d as i,e as s,g as h,k as l,l as d}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import{a}from"./chunk-CTZDSPPR.js";var g=`Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --threads N      check a directory with N threads (default: 1; a helper thread pays only on an
                   idle core with 2,000+ packages each). Commits (--base/--head) are checked on one.
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`;async function v(m,t){let{values:e,positionals:u}=h(m,{...n,...i,...l,threads:{type:"string"}});if(e.help)return t.stdout.write(g),c.ok;let I=d(e,u,s(e,t),t),o=p(e.threads),{runOnSource:E}=await import("./source-CYCXDNUB.js"),{createValidateCheck:O}=await import("./validate-5FYY4PUH.js"),k=O(o===void 0?{}:{threads:o}),R=await E(I,[k],{configFile:e.config,toolVersion:r});return f(R,e,t)}a(v,"validate");export{g as VALIDATE_HELP,v as validate};
