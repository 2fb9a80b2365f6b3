import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a}from"./chunk-VEP2TJSN.js";import"./chunk-HAY3HJVB.js";import"./chunk-CTZDSPPR.js";export{a as writeJsonAtomic};
