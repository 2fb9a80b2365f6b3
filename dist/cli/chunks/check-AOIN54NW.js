import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-5OAXHNSP.js";import"./chunk-QFTGNA62.js";import"./chunk-VWQMZ5ST.js";import"./chunk-ACN7G635.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
