import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as r}from"./chunk-UWGF2EJE.js";var s=class extends Error{static{r(this,"ConfigError")}constructor(t){super(t),this.name="ConfigError"}};export{s as a};
