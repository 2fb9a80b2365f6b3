import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-TXOWCIPF.js";import"./chunk-GZPK7D7D.js";import"./chunk-CLDUFT4O.js";import"./chunk-CINIBB53.js";import"./chunk-6INJRSWY.js";export{b as MAX_FINDINGS_PER_RULE_AND_FILE,a as READ_BUDGET_FACTOR,c as scanPackage,d as scanPackageSecrets,e as scanText};
