import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-CWJ46JQP.js";import"./chunk-DDFSHQTV.js";import"./chunk-I6TE6DRA.js";import"./chunk-4Q76TKPM.js";import"./chunk-FMS5ISIW.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
