import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{m as a}from"./chunk-MT73CM6O.js";import"./chunk-3FIZ32OS.js";export{a as validateCheck};
