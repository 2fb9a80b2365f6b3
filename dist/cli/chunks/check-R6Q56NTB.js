import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-ED7PTHHP.js";import"./chunk-7BSOUQN6.js";import"./chunk-I6TE6DRA.js";import"./chunk-ACN7G635.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as createSafetyCheck,b as safetyCheck};
