import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{c as w}from"./chunk-FOKE65RR.js";import{a as y,b as k}from"./chunk-OQTVYDAV.js";import"./chunk-34SIRBIO.js";import{a as h}from"./chunk-TCLRESUI.js";import{a as r,b as f,g as p,h as g}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-ZAX2ML5U.js";import{a as m}from"./chunk-VEP2TJSN.js";import"./chunk-HAY3HJVB.js";import"./chunk-T23UVXHO.js";import{b}from"./chunk-U55VXW3Z.js";import"./chunk-FMS5ISIW.js";import"./chunk-65D6CSHD.js";import"./chunk-GHX7BAMH.js";import{a as i}from"./chunk-CTZDSPPR.js";import a from"node:path";import{setFlagsFromString as v}from"node:v8";var F=50;function I(){v(`--heap-growing-percent=${F}`),v("--no-incremental-marking")}i(I,"boundHeapGrowth");var N=`Usage: marketplace-actions build [--root DIR] [--out DIR] [--full] [--force]

Builds what clients install from, for one commit of the marketplace (read from git objects; no
checkout): registry.json and .claude-plugin/marketplace.json in the root (commit them), and the
Agent Skills discovery index with its artifacts in the site folder (deploy it, e.g. to GitHub
Pages). Only the packages changed since the last build are read; the result is byte-identical
to a full build. The site folder keeps a record of the last build (.marketplace-actions-build.json):
with it, a rebuild with no package, profile or config change reads and writes nothing; without it
(an empty or uncached site folder) the build is a full one. Beside it, a ledger of where each
package stands in the aggregate files (.marketplace-actions-ledger.json) lets a change to a few
existing packages be spliced into them instead of rebuilding them. Keep both with the site.

  --root DIR       marketplace root, a git clone (default: the current directory)
  --out DIR        site folder (default: <root>/site); must not be the root itself
  --head REF       the commit to build (default: HEAD)
  --full           read every package, not only those changed since the last build
  --force          publish even when more packages would be removed than
                   registry.max_removed_share in the config allows
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write a summary of the build (changes, files, findings) as JSON
  --threads N      2: a large build writes its new files and gzips its skill archives on
                   other threads while it renders the rest; 1: everything on one thread
                   (default: 2 with two cores or more; a build of a few hundred files or
                   a few dozen archives never starts them)
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 built; 1 built, but some packages are not published from this commit (errors
above; the rest published); 2 usage, configuration or internal error, or the removal guard
refused the build (nothing written).
`,_={root:{type:"string"},out:{type:"string"},head:{type:"string"},full:{type:"boolean"},force:{type:"boolean"},config:{type:"string"},json:{type:"string"},threads:{type:"string"},color:{type:"boolean"},"no-color":{type:"boolean"},help:{type:"boolean",short:"h"}};async function J(O,t){let{values:e,positionals:c}=p(O,_);if(e.help)return t.stdout.write(N),r.ok;if(c.length)throw new f(`build takes no package directories (got ${c.join(" ")}); it always builds the whole marketplace`);let n=a.resolve(t.cwd,e.root??"."),s=w(e.threads);I();let{buildRegistry:E}=await import("./build-P5AKAV7G.js"),{RegistryOutputs:j}=await import("./registry-output-HT3UALIG.js"),R=e.out===void 0?a.join(n,"site"):a.resolve(t.cwd,e.out),{archiveGzip:x}=await import("./gzip-thread-KAZXEHXY.js"),d=new j(n,R,s===void 0?{}:{threads:s}),l=x(s),o=await E({repo:n,head:e.head,configFile:e.config,full:e.full,force:e.force,toolVersion:h,outputs:d,...l?{gzip:l}:{}}).finally(()=>l?.close()),u=o.refused?void 0:await d.apply(o);return e.json&&await m(a.resolve(t.cwd,e.json),y(o,u)),t.stdout.write(k(o,u,{color:g(e,t)})),o.refused?r.usage:b(o.findings).error>0?r.findings:r.ok}i(J,"build");export{N as BUILD_HELP,J as build};
