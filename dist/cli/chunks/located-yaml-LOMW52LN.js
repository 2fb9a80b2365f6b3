import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a}from"./chunk-YLX3AW5Y.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import"./chunk-CTZDSPPR.js";export{a as parseYamlDocument};
