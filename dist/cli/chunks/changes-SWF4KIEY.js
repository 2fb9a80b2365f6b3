import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-GN2VQ2PE.js";import"./chunk-GCOPPOE5.js";import"./chunk-ZR2Z65QP.js";import"./chunk-T23UVXHO.js";import"./chunk-4Q76TKPM.js";import"./chunk-FMS5ISIW.js";import"./chunk-CTZDSPPR.js";export{b as diffCommits,c as parseRawDiff,a as reviewRange};
