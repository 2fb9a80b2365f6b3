import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-6OFUGQQU.js";import"./chunk-CTZDSPPR.js";export{b as default,a as validate};
