import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-EOPI7FUW.js";import"./chunk-2JWCF3EV.js";import"./chunk-I6TE6DRA.js";import"./chunk-QKEKQ3VX.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
