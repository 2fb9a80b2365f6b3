import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-HUQ2YMPM.js";import"./chunk-HUSKN5CI.js";import"./chunk-W3S3DAQC.js";import"./chunk-ZQKO4ZW7.js";import"./chunk-BVONH6QF.js";import"./chunk-UWGF2EJE.js";export{a as GitSnapshot,b as parseLsTree};
