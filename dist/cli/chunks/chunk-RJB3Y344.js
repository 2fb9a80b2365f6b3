import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as e}from"./chunk-UWGF2EJE.js";async function l(o,r,t){let n=0,a=e(async()=>{for(;n<o.length;){let i=o[n++];await t(i)}},"worker");await Promise.all(Array.from({length:Math.min(r,o.length)},a))}e(l,"forEachConcurrently");export{l as a};
