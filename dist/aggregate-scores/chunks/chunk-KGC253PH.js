import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
var t={timeoutMs:3e4,retries:3,backoffMs:1e3,maxRetryAfterMs:6e4,maxBytes:33554432};export{t as a};
