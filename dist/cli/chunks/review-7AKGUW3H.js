import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as s}from"./chunk-AEOSNSWU.js";import{f as n,g as i,h,i as c,j as u,k as r,l as d,n as l,p as g}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-FQEZTH6O.js";import{a}from"./chunk-UWGF2EJE.js";var O=`Usage: marketplace-actions review --base REF --head REF --author LOGIN [--root DIR] [--json FILE] [--sarif FILE]

Reviews a change as the pull-request checks do: manifests, profiles and entrypoints; safety
(links, sizes, secrets, hidden text, risky code); versions (every changed package has a higher
version, a published version never changes); namespaces (the author changes only what they own).
It covers what changed between merge-base(--base, --head) and --head, reads both commits from git
objects (no checkout), and takes the config, the owners and the published versions from the base.

  --base REF       the branch the change is for, e.g. origin/main (required)
  --head REF       the change, e.g. HEAD or a pull request's branch (required)
  --author LOGIN   GitHub login of the change's author; it owns publishers/<LOGIN>/ (required)
  --root DIR       marketplace repository (default: the current directory)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;async function F(f,o){let{values:e,positionals:t}=d(f,{...h,...c,...l,author:{type:"string"}});if(e.help)return o.stdout.write(O),n.ok;if(t.length)throw new i(`review takes no package directories (got \`${t[0]??""}\`): it reviews what changed between --base and --head`);let p=r(e.base,"--base REF"),E=r(e.head,"--head REF"),I=r(e.author,"--author LOGIN"),{runOnSource:m}=await import("./source-BVXFGWUO.js"),{REVIEW_CHECKS:w}=await import("./checks-AAAVLQIE.js"),b=await m({kind:"git",repo:u(e,o),base:p,head:E,author:I},w,{configFile:e.config,toolVersion:s});return g(b,e,o)}a(F,"review");export{O as REVIEW_HELP,F as review};
