import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{b as f,c as d,d as c,f as m}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as s,b as i,g as l}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a}from"./chunk-CTZDSPPR.js";var u=`Usage: marketplace-actions telemetry [on|off]

Shows or sets whether this workspace sends install pings and ratings to a marketplace's stats
endpoint (registry.json's stats_url). Off by default. When on, an install sends the package,
its version and a random id created for this workspace (never derived from you or the machine);
a failed ping never fails an install.

${d}
`;async function E(p,t){let{values:n,positionals:g}=l(p,f);if(n.help)return t.stdout.write(u),s.ok;let[e,...h]=g;if(h.length||e!==void 0&&e!=="on"&&e!=="off")throw new i("telemetry takes on or off");let r=c(n,t),o=e===void 0?await r.settings():await r.setTelemetry(e==="on");return n.json?m(o,t):t.stdout.write(`Telemetry is ${o.telemetry?"on":"off"}.
`),s.ok}a(E,"telemetry");export{u as TELEMETRY_HELP,E as telemetry};
