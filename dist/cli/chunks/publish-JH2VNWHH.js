import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as R}from"./chunk-KDJSVGGD.js";import"./chunk-26POMJSR.js";import"./chunk-5OAXHNSP.js";import"./chunk-M2P5QHZH.js";import"./chunk-ZR2Z65QP.js";import"./chunk-W7B3RPGH.js";import"./chunk-HY6KZY5W.js";import"./chunk-342L2RIB.js";import"./chunk-PGNJQZ4R.js";import{b as P}from"./chunk-BAOJ3J3J.js";import"./chunk-RMKVUSK7.js";import"./chunk-GDE6ETAL.js";import"./chunk-QI636EGE.js";import"./chunk-UYFRPS2G.js";import"./chunk-CP6RUKWD.js";import"./chunk-SCTFZO6R.js";import{a as k}from"./chunk-TCLRESUI.js";import{a as h,b as u,g as D,h as H}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import{e as C}from"./chunk-ZAX2ML5U.js";import"./chunk-O5IGGTJY.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-JHE6GLK4.js";import"./chunk-OCQHLCZF.js";import"./chunk-W2EUJANA.js";import"./chunk-4QSJSTR2.js";import"./chunk-U55VXW3Z.js";import"./chunk-5VQTY6O3.js";import"./chunk-UYD6A4AC.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-65D6CSHD.js";import"./chunk-YLX3AW5Y.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import"./chunk-QFTGNA62.js";import"./chunk-VWQMZ5ST.js";import"./chunk-ACN7G635.js";import"./chunk-PDMT7P3D.js";import{a as s}from"./chunk-CTZDSPPR.js";import{execFile as _}from"node:child_process";import{mkdtempSync as z,readFileSync as G,rmSync as L}from"node:fs";import{tmpdir as N}from"node:os";import c from"node:path";var T=`Usage: marketplace-actions publish [DIR] [--base REF] [--remote NAME] [--no-pr]

Publishes the package in DIR (default: the current directory), a folder
publishers/<login>/<package>/ in a clone of your fork of the marketplace:

  1. commits the folder as it is on disk on top of HEAD (your index, working tree and branch
     are left alone) and runs the checks a pull request gets against --base: manifest,
     profile and entrypoint; the safety scan; the version bump against the marketplace's
     registry.json; the namespace rules;
  2. when they pass, creates the branch publish/<login>-<package>-<version> at that commit;
  3. pushes it to --remote and runs \`gh pr create\`, or, without \`gh\` (or with --no-pr),
     prints the exact commands to do so.

  --base REF       the marketplace's branch the pull request is for (default: origin/HEAD, else main)
  --remote NAME    your fork's remote (default: origin)
  --author LOGIN   your GitHub login (default: the <login> folder the package is in)
  --no-pr          stop after creating the branch and print the commands
  --color / --no-color   force colour on or off

Exit codes: 0 branch created (and the pull request opened, with gh); 1 the review found errors
(nothing created); 2 usage or git error.
`,q={base:{type:"string"},remote:{type:"string"},author:{type:"string"},"no-pr":{type:"boolean"},color:{type:"boolean"},"no-color":{type:"boolean"},help:{type:"boolean",short:"h"}},F=/^publishers\/([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\/([a-z0-9]+(?:-[a-z0-9]+)*)$/;async function te(t,e){let{values:r,positionals:m}=D(t,q);if(r.help)return e.stdout.write(T),h.ok;if(m.length>1)throw new u("publish takes one package folder");let i=c.resolve(e.cwd,m[0]??"."),o=s((n,p={})=>E("git",["-C",i,...n],{...e.env,...p}),"git"),a=(await o(["rev-parse","--show-toplevel"]).catch(()=>{throw new u(`${i} is not inside a git clone of a marketplace`)})).trim(),l=c.relative(a,i).split(c.sep).join("/"),g=F.exec(l);if(!g)throw new u(`${l||"."} is not a package folder; publish the folder publishers/<login>/<package>/`);let[,w,$]=g,v=/^version:\s*["']?([^"'\s#]+)/m.exec(Z(c.join(i,"manifest.yaml")))?.[1]??"unversioned",b=r.base??(await o(["rev-parse","--verify","--quiet","origin/HEAD"]).catch(()=>"")?"origin/HEAD":"main"),j=r.remote??"origin",O=r.author??w,A=z(c.join(N(),"mpa-publish-")),d,y=`Publish @${w}/${$}@${v}`;try{let n={GIT_INDEX_FILE:c.join(A,"index")};await o(["read-tree","HEAD"],n),await o(["add","-A","--",`:(top,literal)${l}`],n);let p=(await o(["write-tree"],n)).trim();d=(await o(["commit-tree",p,"-p","HEAD","-m",y])).trim()}finally{L(A,{recursive:!0,force:!0})}let x=await P({kind:"git",repo:a,base:b,head:d,author:O},R,{toolVersion:k});if(e.stdout.write(C(x,{color:H(r,e)})),x.verdict!=="pass")return e.stderr.write(`error: the review found errors; fix them and run publish again (nothing was created)
`),h.findings;let f=`publish/${w.toLowerCase()}-${$}-${v}`;await o(["branch","--force",f,d]);let S=b.replace(/^origin\//,"")==="HEAD"?"main":b.replace(/^origin\//,""),I=[["git","-C",a,"push","--set-upstream",j,f],["gh","pr","create","--head",f,"--base",S,"--title",y,"--body",`${y}

Checked locally with marketplace-actions publish ${k}.`]];if(e.stdout.write(`Created branch ${f} at ${d.slice(0,12)}.
`),!(!r["no-pr"]&&await E("gh",["--version"],e.env).then(()=>!0,()=>!1)))return e.stdout.write(`${r["no-pr"]?"":"`gh` is not installed. "}Open the pull request with:
${I.map(n=>`  ${n.map(B).join(" ")}`).join(`
`)}
`),h.ok;for(let[n,...p]of I)e.stdout.write(await E(n,p,e.env,a));return h.ok}s(te,"publish");function Z(t){try{return G(t,"utf8")}catch{throw new u(`${t} cannot be read; a package folder has a manifest.yaml`)}}s(Z,"readText");function E(t,e,r,m){return new Promise((i,o)=>{_(t,e,{env:r,cwd:m,encoding:"utf8",maxBuffer:16*1024*1024},(a,l,g)=>{a?o(new Error(`${t} ${e.slice(0,3).join(" ")} failed: ${g.trim()||a.message}`)):i(l)})})}s(E,"run");function B(t){return/^[A-Za-z0-9@%_+=:,./-]+$/.test(t)?t:`'${t.replace(/'/g,"'\\''")}'`}s(B,"shellQuote");export{T as PUBLISH_HELP,te as publish};
