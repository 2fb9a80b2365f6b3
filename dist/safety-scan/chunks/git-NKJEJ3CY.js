import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i}from"./chunk-EN3RLZRW.js";import"./chunk-BVONH6QF.js";import"./chunk-UWGF2EJE.js";export{c as GIT_BASE_ARGS,a as GitError,g as isObjectId,i as mergeBase,b as onGitCommand,e as ownString,h as resolveCommit,f as runGit,d as spawnGit};
