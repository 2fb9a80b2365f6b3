import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{m as a}from"./chunk-SULGU4LA.js";import"./chunk-3FIZ32OS.js";export{a as validateCheck};
