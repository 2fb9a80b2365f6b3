import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as a,c as b}from"./chunk-UIJQOOQ4.js";import"./chunk-UWGF2EJE.js";export{a as SCHEMAS,b as validatorFor};
