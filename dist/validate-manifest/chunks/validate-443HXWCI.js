import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{m as a}from"./chunk-V6E4BN3Q.js";import"./chunk-QROD67KY.js";export{a as validateCheck};
