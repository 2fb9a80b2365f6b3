import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-FOKE65RR.js";import"./chunk-34SIRBIO.js";import"./chunk-TCLRESUI.js";import"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-T23UVXHO.js";import"./chunk-FMS5ISIW.js";import"./chunk-CTZDSPPR.js";export{a as SCAN_HELP,b as scan,c as threadsOf};
