import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-ZPOCH5NQ.js";import"./chunk-3NMV4FDC.js";import"./chunk-EJQRMKXH.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{b as diffCommits,c as parseRawDiff,a as reviewRange};
