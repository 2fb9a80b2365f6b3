import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as m}from"./chunk-DM7ZJA2T.js";import{a}from"./chunk-MZJOHIXB.js";import{a as r,c as i,d as c,e as n,g as s,k as l,l as f}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import{a as t}from"./chunk-CTZDSPPR.js";var E=`Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`;async function g(p,o){let{values:e,positionals:u}=s(p,{...i,...c,...l});if(e.help)return o.stdout.write(E),r.ok;let I=f(e,u,n(e,o),o),{validateSource:d}=await import("./source-ZPQEME3S.js"),h=await d(I,{configFile:e.config,toolVersion:a});return m(h,e,o)}t(g,"validate");export{E as VALIDATE_HELP,g as validate};
