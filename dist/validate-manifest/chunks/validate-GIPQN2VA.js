import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{m as a}from"./chunk-HB6Q5MZN.js";import"./chunk-WI7ZQAT7.js";export{a as validateCheck};
