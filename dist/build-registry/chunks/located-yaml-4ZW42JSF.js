import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a}from"./chunk-S324A2HU.js";import"./chunk-BDDLQG2Q.js";import"./chunk-S6ZE7LXQ.js";export{a as parseYamlDocument};
