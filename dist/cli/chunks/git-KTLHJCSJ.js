import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-ZR2Z65QP.js";import"./chunk-T23UVXHO.js";import"./chunk-CTZDSPPR.js";export{c as GIT_BASE_ARGS,a as GitError,f as isObjectId,h as mergeBase,b as onGitCommand,g as resolveCommit,e as runGit,d as spawnGit};
