import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-73ONT3IP.js";import"./chunk-5XD3CHHH.js";import"./chunk-I6TE6DRA.js";import"./chunk-QGKZLCD2.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
