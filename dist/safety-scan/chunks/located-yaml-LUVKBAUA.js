import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a}from"./chunk-XYNQ3V2W.js";import"./chunk-YPL6B3WQ.js";import"./chunk-NM5JBDSN.js";import"./chunk-UWGF2EJE.js";export{a as parseYamlDocument};
