import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as a,c as b}from"./chunk-L5FR5WEU.js";import"./chunk-CTZDSPPR.js";export{a as SCHEMAS,b as validatorFor};
