import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-3NMV4FDC.js";import"./chunk-EJQRMKXH.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{a as GitSnapshot,b as parseLsTree};
