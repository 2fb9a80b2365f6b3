import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a}from"./chunk-LPAFALVP.js";import{g as r,i,j as c,k as n,m as s,q as l,r as f,s as u}from"./chunk-GKVCXOFR.js";import"./chunk-HAY3HJVB.js";import"./chunk-VHFG7XRR.js";import"./chunk-T23UVXHO.js";import"./chunk-S6OWIQMG.js";import"./chunk-I2DJBBC5.js";import{a as t}from"./chunk-CTZDSPPR.js";var E=`Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`;async function F(p,o){let{values:e,positionals:I}=s(p,{...i,...c,...l});if(e.help)return o.stdout.write(E),r.ok;let d=f(e,I,n(e,o),o),{validateSource:h}=await import("./source-FZL3D5QK.js"),m=await h(d,{configFile:e.config,toolVersion:a});return u(m,e,o)}t(F,"validate");export{E as VALIDATE_HELP,F as validate};
