import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as y}from"./chunk-AEOSNSWU.js";import{a as d,b,c as w,e as $,f as u,g as v,l as k,m as R}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import{b as c}from"./chunk-46YCQ5KK.js";import"./chunk-FQEZTH6O.js";import{a}from"./chunk-UWGF2EJE.js";import f from"node:path";var g=5;function p(e,t){let o=e.slice(0,g).map(t).join(", ");return e.length>g?`${o} and ${e.length-g} more`:o}a(p,"list");function O(e,t){if(e.refused)return`Registry: refused to remove ${e.refused.removed} of ${e.refused.previous} packages`;let o=[];return e.added.length&&o.push(`add ${p(e.added,i=>`${i.id}@${i.version}`)}`),e.updated.length&&o.push(`update ${p(e.updated,i=>`${i.id}@${i.version}`)}`),e.removed.length&&o.push(`remove ${p(e.removed,i=>i.id)}`),o.length?`Registry: ${o.join("; ")}`:(t?t.written.length+t.deleted.length>0:!0)?"Registry: rebuild the indexes (no package changed)":"Registry: no changes"}a(O,"summaryLine");function j(e,t){return{head:e.head,mode:e.mode,reason:e.reason,refused:e.refused??null,summary:O(e,t),added:e.added,updated:e.updated,removed:e.removed,withheld:e.withheld,packages:e.registry.packages.length,packages_read:e.packagesRead,written:t?.written??[],deleted:t?.deleted??[],findings:e.findings,counts:c(e.findings)}}a(j,"buildJson");function x(e,t,o){let s=b(o),i=e.mode==="full"?`full build: ${e.reason}`:`incremental: ${e.packagesRead} package(s) read`,r=[`${s("bold",`build ${e.head.slice(0,12)}`)} ${s("dim",`(${i})`)}`];for(let n of e.added)r.push(`  ${s("green","+")} ${d(n.id)} ${d(n.version??"")}`);for(let n of e.updated)r.push(`  ${s("yellow","~")} ${d(n.id)} ${d(n.previousVersion??"")} -> ${d(n.version??"")}`);for(let n of e.removed)r.push(`  ${s("red","-")} ${d(n.id)} ${d(n.previousVersion??"")}`);for(let n of e.withheld)r.push(`  ${s("red","!")} ${d(n)} kept at its last good version`);for(let n of e.findings)r.push(...w(n,o));return r.push(""),e.refused?(r.push(s("red",`REFUSED: nothing written. ${e.findings.find(n=>n.rule==="registry/too-many-removed")?.message??""}`)),r.push("Run again with --force if the removals are intended.")):(r.push(`${O(e,t)}`),r.push(`${e.registry.packages.length} package(s) published; ${t?.written.length??0} file(s) written, ${t?.deleted.length??0} deleted`)),`${r.join(`
`)}
`}a(x,"formatBuildText");var I=`Usage: marketplace-actions build [--root DIR] [--out DIR] [--full] [--force]

Builds what clients install from, for one commit of the marketplace (read from git objects; no
checkout): registry.json and .claude-plugin/marketplace.json in the root (commit them), and the
Agent Skills discovery index with its artifacts in the site folder (deploy it, e.g. to GitHub
Pages). Only the packages changed since the commit in the existing registry.json are read; the
result is byte-identical to a full build, and a rebuild without changes writes nothing.

  --root DIR       marketplace root, a git clone (default: the current directory)
  --out DIR        site folder (default: <root>/site); must not be the root itself
  --head REF       the commit to build (default: HEAD)
  --full           read every package, not only those changed since the last build
  --force          publish even when more packages would be removed than
                   registry.max_removed_share in the config allows
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write a summary of the build (changes, files, findings) as JSON
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 built; 1 built, but some packages are not published from this commit (errors
above; the rest published); 2 usage, configuration or internal error, or the removal guard
refused the build (nothing written).
`,L={root:{type:"string"},out:{type:"string"},head:{type:"string"},full:{type:"boolean"},force:{type:"boolean"},config:{type:"string"},json:{type:"string"},color:{type:"boolean"},"no-color":{type:"boolean"},help:{type:"boolean",short:"h"}};async function P(e,t){let{values:o,positionals:s}=k(e,L);if(o.help)return t.stdout.write(I),u.ok;if(s.length)throw new v(`build takes no package directories (got ${s.join(" ")}); it always builds the whole marketplace`);let i=f.resolve(t.cwd,o.root??"."),{buildRegistry:r}=await import("./build-ADNS3C6J.js"),{RegistryOutputs:n}=await import("./registry-output-EHBSQQWH.js"),h=new n(i,o.out===void 0?f.join(i,"site"):f.resolve(t.cwd,o.out)),l=await r({repo:i,head:o.head,configFile:o.config,full:o.full,force:o.force,toolVersion:y,outputs:h}),m=l.refused?void 0:await h.apply(l);return o.json&&await $(f.resolve(t.cwd,o.json),j(l,m)),t.stdout.write(x(l,m,{color:R(o,t)})),l.refused?u.usage:c(l.findings).error>0?u.findings:u.ok}a(P,"build");export{I as BUILD_HELP,P as build};
