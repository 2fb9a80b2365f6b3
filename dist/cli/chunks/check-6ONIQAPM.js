import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-QCW6M6DN.js";import"./chunk-EXGZWQIP.js";import"./chunk-I6TE6DRA.js";import"./chunk-QGKZLCD2.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
