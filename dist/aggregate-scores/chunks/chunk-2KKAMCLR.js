import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as r}from"./chunk-NFSQSCWQ.js";function t(n){return n.length<13?n:JSON.parse(JSON.stringify(n))}r(t,"ownString");export{t as a};
