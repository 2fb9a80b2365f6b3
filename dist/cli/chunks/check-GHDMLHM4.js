import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-QDJV6G3O.js";import"./chunk-EIN2UZFI.js";import"./chunk-I6TE6DRA.js";import"./chunk-4Q76TKPM.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
