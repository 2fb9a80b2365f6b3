import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{c as m}from"./chunk-BFWFD7XQ.js";import{a as f}from"./chunk-DM7ZJA2T.js";import{a}from"./chunk-MZJOHIXB.js";import{a as c,c as n,d as i,e as s,g as h,k as d,l}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import{a as r}from"./chunk-CTZDSPPR.js";var g=`Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --threads N      check a directory with N threads (default: one per core); 1 checks on one
                   thread. Commits (--base/--head) are checked on one.
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`;async function y(p,t){let{values:e,positionals:u}=h(p,{...n,...i,...d,threads:{type:"string"}});if(e.help)return t.stdout.write(g),c.ok;let I=l(e,u,s(e,t),t),o=m(e.threads),{runOnSource:E}=await import("./source-WG2QRKYF.js"),{createValidateCheck:O}=await import("./validate-XWMVNOUX.js"),k=O(o===void 0?{}:{threads:o}),R=await E(I,[k],{configFile:e.config,toolVersion:a});return f(R,e,t)}r(y,"validate");export{g as VALIDATE_HELP,y as validate};
