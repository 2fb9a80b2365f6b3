import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as i}from"./chunk-34SIRBIO.js";import{a as t}from"./chunk-TCLRESUI.js";import{a as l,b as s,c as f,d as u,e as n,f as o,g,i as p,j as I,k as E}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import{a as d}from"./chunk-CTZDSPPR.js";var O=`Usage: marketplace-actions review --base REF --head REF --author LOGIN [--root DIR] [--json FILE] [--sarif FILE]
       marketplace-actions review --all [--head REF] [--root DIR] [--json FILE] [--sarif FILE]
       marketplace-actions review --shard I/N [--head REF] [--root DIR] --json FILE

Reviews a change as the pull-request checks do: manifests, profiles and entrypoints; safety
(links, sizes, secrets, hidden text, risky code); versions (every changed package has a higher
version, a published version never changes); namespaces (the author changes only what they own).
It covers what changed between merge-base(--base, --head) and --head, reads both commits from git
objects (no checkout), and takes the config, the owners and the published versions from the base.

With --all, it re-audits every package at --head instead (after a toolkit upgrade or a rule
change): manifests, profiles, entrypoints and safety; versions and namespaces judge a change, so
they are left out. --shard I/N re-audits only shard I of N (a package's shard depends only on its
id), for a matrix of jobs whose --json reports 'marketplace-actions merge' combines.

  --base REF       the branch the change is for, e.g. origin/main (required for a change)
  --head REF       the change, e.g. HEAD or a pull request's branch (required for a change;
                   for --all and --shard, default HEAD)
  --author LOGIN   GitHub login of the change's author; it owns publishers/<LOGIN>/ (required for a change)
  --all            re-audit every package at --head
  --shard I/N      re-audit shard I of N of every package at --head
  --root DIR       marketplace repository (default: the current directory)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;async function _(m,a){let{values:e,positionals:h}=g(m,{...f,...u,...E,...p,all:{type:"boolean"},author:{type:"string"}});if(e.help)return a.stdout.write(O),l.ok;if(h.length)throw new s(`review takes no package directories (got \`${h[0]??""}\`): it reviews what changed between --base and --head`);let r=I(e),{runOnSource:c}=await import("./source-CYCXDNUB.js"),{RE_AUDIT_CHECKS:w,REVIEW_CHECKS:b}=await import("./checks-MJBF7M2C.js");if(e.all||r){if(e.base!==void 0||e.author!==void 0)throw new s(`${r?"--shard":"--all"} re-audits every package at --head: drop --base and --author (they are for reviewing a change)`);let F=await c({kind:"git",repo:n(e,a),head:e.head??"HEAD"},w,{configFile:e.config,toolVersion:t,...r?{shard:r}:{}});return i(F,e,a)}let k=o(e.base,"--base REF"),v=o(e.head,"--head REF"),R=o(e.author,"--author LOGIN"),y=await c({kind:"git",repo:n(e,a),base:k,head:v,author:R},b,{configFile:e.config,toolVersion:t});return i(y,e,a)}d(_,"review");export{O as REVIEW_HELP,_ as review};
