import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{c as a,d as b,e as c}from"./chunk-ZAX2ML5U.js";import"./chunk-GHX7BAMH.js";import"./chunk-CTZDSPPR.js";export{b as findingLines,c as formatText,a as painter};
