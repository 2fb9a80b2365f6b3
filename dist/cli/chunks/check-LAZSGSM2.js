import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-5W53ERPV.js";import"./chunk-CQUSH5RG.js";import"./chunk-I6TE6DRA.js";import"./chunk-4Q76TKPM.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
