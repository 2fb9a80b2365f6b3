import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as f,c as d,d as c,f as m}from"./chunk-2KKBNTYF.js";import"./chunk-X4ZICSEV.js";import{f as s,g as i,l}from"./chunk-4ICSYDGN.js";import"./chunk-DANSDORH.js";import"./chunk-2PZ6GTPS.js";import"./chunk-TP4GIOBX.js";import"./chunk-SKSAOVGK.js";import"./chunk-5ZB5ZRVW.js";import"./chunk-BVONH6QF.js";import"./chunk-BRX7RAGR.js";import"./chunk-MTJ5DJ6C.js";import"./chunk-46YCQ5KK.js";import"./chunk-FQEZTH6O.js";import{a}from"./chunk-UWGF2EJE.js";var u=`Usage: marketplace-actions telemetry [on|off]

Shows or sets whether this workspace sends install pings and ratings to a marketplace's stats
endpoint (registry.json's stats_url). Off by default. When on, an install sends the package,
its version and a random id created for this workspace (never derived from you or the machine);
a failed ping never fails an install.

${d}
`;async function E(p,t){let{values:n,positionals:g}=l(p,f);if(n.help)return t.stdout.write(u),s.ok;let[e,...h]=g;if(h.length||e!==void 0&&e!=="on"&&e!=="off")throw new i("telemetry takes on or off");let r=c(n,t),o=e===void 0?await r.settings():await r.setTelemetry(e==="on");return n.json?m(o,t):t.stdout.write(`Telemetry is ${o.telemetry?"on":"off"}.
`),s.ok}a(E,"telemetry");export{u as TELEMETRY_HELP,E as telemetry};
