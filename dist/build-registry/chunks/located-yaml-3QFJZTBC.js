import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a}from"./chunk-NCVIGQIJ.js";import"./chunk-FBFQZU3X.js";import"./chunk-GHX7BAMH.js";import"./chunk-CTZDSPPR.js";export{a as parseYamlDocument};
