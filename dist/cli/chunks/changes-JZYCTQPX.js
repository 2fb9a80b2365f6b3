import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-B7DS5M3J.js";import"./chunk-LDX6WZG3.js";import"./chunk-EJQRMKXH.js";import"./chunk-T23UVXHO.js";import"./chunk-4Q76TKPM.js";import"./chunk-FMS5ISIW.js";import"./chunk-CTZDSPPR.js";export{b as diffCommits,c as parseRawDiff,a as reviewRange};
