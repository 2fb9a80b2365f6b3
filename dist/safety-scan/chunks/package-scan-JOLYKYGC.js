import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-QGZOUCFR.js";import"./chunk-2QY4U353.js";import"./chunk-SUJ2UTAV.js";import"./chunk-5UHZI4XF.js";import"./chunk-TBMXS3EM.js";export{b as MAX_FINDINGS_PER_RULE_AND_FILE,a as READ_BUDGET_FACTOR,c as scanPackage,d as scanPackageSecrets,e as scanText};
