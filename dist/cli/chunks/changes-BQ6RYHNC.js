import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-2VILEUM7.js";import"./chunk-M2P5QHZH.js";import"./chunk-ZR2Z65QP.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import"./chunk-PDMT7P3D.js";import"./chunk-CTZDSPPR.js";export{b as diffCommits,c as parseRawDiff,a as reviewRange};
