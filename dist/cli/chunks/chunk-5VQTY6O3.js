import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as m}from"./chunk-UYD6A4AC.js";import{a as r}from"./chunk-YLX3AW5Y.js";import{a as t}from"./chunk-CTZDSPPR.js";function l(e,o){return m(e,o)??r(e,o)}t(l,"parseYaml");export{l as a};
