import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as n}from"./chunk-HAY3HJVB.js";import{a as i}from"./chunk-CTZDSPPR.js";async function e(o,t){await n(o,`${JSON.stringify(t,null,2)}
`)}i(e,"writeJsonAtomic");export{e as a};
