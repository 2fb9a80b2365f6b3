import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{s as a}from"./chunk-Y5IHEIFL.js";import"./chunk-TBMXS3EM.js";export{a as validateCheck};
