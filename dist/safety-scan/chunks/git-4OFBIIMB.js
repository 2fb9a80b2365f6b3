import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-ZQKO4ZW7.js";import"./chunk-BVONH6QF.js";import"./chunk-UWGF2EJE.js";export{c as GIT_BASE_ARGS,a as GitError,f as isObjectId,h as mergeBase,b as onGitCommand,g as resolveCommit,e as runGit,d as spawnGit};
