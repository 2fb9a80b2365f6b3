import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as l,c as p,d as m,e as h,f as d,g as k}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as s,b as o,f as g,g as c}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a as i}from"./chunk-CTZDSPPR.js";var w=`Usage: marketplace-actions feedback <name> --rating 1..5 [--agent ID]

Rates an installed package. The rating is always recorded locally
(<workspace>/.marketplace/feedback.jsonl); it is sent to the marketplace's stats endpoint only
when telemetry is on (\`telemetry on\`) and the marketplace has one. Without opt-in nothing
leaves the machine.

  --rating N    1 (poor) to 5 (excellent)
  --agent ID    the agent giving the rating
${p}
`,b={...l,rating:{type:"string"},agent:{type:"string"}};async function I(u,t){let{values:e,positionals:a}=c(u,b);if(e.help)return t.stdout.write(w),s.ok;if(a.length!==1)throw new o("feedback takes one installed name");let n=Number(g(e.rating,"--rating"));if(!Number.isInteger(n)||n<1||n>5)throw new o(`--rating must be a whole number from 1 to 5 (got ${e.rating})`);let f=m(e,t);return k(t,async()=>{let r=await f.feedback(a[0],n,e.agent?{agent:e.agent}:{});return h(r.warnings,t),e.json?d(r,t):t.stdout.write(`Recorded rating ${n} for ${a[0]}${r.sent?" and sent it to the marketplace":" (kept on this machine)"}.
`),s.ok})}i(I,"feedback");export{w as FEEDBACK_HELP,I as feedback};
