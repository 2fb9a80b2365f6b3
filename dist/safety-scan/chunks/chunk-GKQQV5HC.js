import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as m}from"./chunk-OIAQZJCD.js";import{a as r}from"./chunk-XYNQ3V2W.js";import{a as t}from"./chunk-UWGF2EJE.js";function l(e,o){return m(e,o)??r(e,o)}t(l,"parseYaml");export{l as a};
