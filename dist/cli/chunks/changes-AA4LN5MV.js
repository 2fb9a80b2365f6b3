import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-KHINWKNE.js";import"./chunk-IO7ESYZG.js";import"./chunk-EJQRMKXH.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import"./chunk-4Q76TKPM.js";import"./chunk-CTZDSPPR.js";export{b as diffCommits,c as parseRawDiff,a as reviewRange};
