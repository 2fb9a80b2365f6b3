import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{f as a,g as b,h as c}from"./chunk-A7FB6QU6.js";import"./chunk-REVMWP6H.js";import"./chunk-CINIBB53.js";import"./chunk-GSHOFKJ3.js";import"./chunk-6INJRSWY.js";export{a as MIN_PACKAGES_PER_VALIDATE_WORKER,b as createValidateCheck,c as validateCheck};
