import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-FHG3TCUM.js";import"./chunk-HLBJWTLI.js";import"./chunk-I6TE6DRA.js";import"./chunk-QGKZLCD2.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
