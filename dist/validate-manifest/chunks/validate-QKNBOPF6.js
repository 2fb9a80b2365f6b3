import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{f as a,g as b,h as c}from"./chunk-LKGEW3TD.js";import"./chunk-35VMXA2F.js";import"./chunk-5UHZI4XF.js";import"./chunk-YV2SCJD5.js";import"./chunk-TBMXS3EM.js";export{a as MIN_PACKAGES_PER_VALIDATE_WORKER,b as createValidateCheck,c as validateCheck};
