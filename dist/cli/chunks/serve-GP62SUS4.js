import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);
import{a as w,b as d,c as S}from"./chunk-DPLPOKUY.js";import{b as g,c as h,d as k}from"./chunk-X2ZM62P2.js";import"./chunk-KN7L46WL.js";import"./chunk-F6QVQYQU.js";import"./chunk-DTGR2XMW.js";import"./chunk-DEZNZ3CJ.js";import"./chunk-PGNJQZ4R.js";import{a as l,b as u,g as f}from"./chunk-PW5GOWHE.js";import"./chunk-FHLLD3R3.js";import"./chunk-F7JD42O4.js";import"./chunk-7OSOPAXW.js";import"./chunk-T23UVXHO.js";import"./chunk-MD2C4KYF.js";import"./chunk-FMS5ISIW.js";import"./chunk-4CGEHJCI.js";import"./chunk-GHX7BAMH.js";import{a}from"./chunk-CTZDSPPR.js";import{createServer as P}from"node:http";function b(i){return(e,t)=>{T(i,e,t)}}a(b,"marketplaceHandler");async function T(i,e,t){let o=a((r,n)=>{let s=Buffer.from(`${JSON.stringify(n)}
`);t.writeHead(r,{"content-type":"application/json; charset=utf-8","content-length":s.length,"cache-control":"no-store"}),t.end(s)},"send");try{let r=[],n=0;for await(let c of e){if(n+=c.length,n>d){o(413,{error:`the body is larger than ${d} bytes`}),e.destroy();return}r.push(c)}let s=await i.handle({method:e.method??"GET",url:e.url??"/",body:n?Buffer.concat(r):void 0});o(s.status,s.body)}catch(r){t.headersSent||o(500,{error:`internal error: ${r.message}`})}}a(T,"respond");function v(i,e,t){let o=P(b(i));return new Promise((r,n)=>{o.once("error",n),o.listen(t,e,()=>{let s=o.address(),c=typeof s=="object"&&s?s.port:t,p=e.includes(":")?`[${e}]`:e;r({server:o,url:`http://${p}:${c}${w}`})})})}a(v,"listen");var E=`Usage: marketplace-actions serve [--host HOST] [--port PORT]

Serves the Signet daemon's marketplace routes over HTTP for the workspace:
  GET  /api/marketplace/search?q=&type=     ranked search results
  POST /api/marketplace/install             {"name": "@publisher/package", "agent_id": "..."}
  GET  /api/marketplace/installed?agent_id= installed packages with update status (one agent's)
  POST /api/marketplace/feedback            {"name": "...", "rating": 1..5}
Bad input is a 400 with {"error": "..."}. Runs until interrupted.

  --host HOST    address to listen on (default 127.0.0.1; anything else exposes installs to the network)
  --port PORT    port (default 3851; 0 picks a free one)
${h}
`,I={...g,host:{type:"string"},port:{type:"string"}};async function N(i,e){let{values:t,positionals:o}=f(i,I);if(t.help)return e.stdout.write(E),l.ok;if(o.length)throw new u("serve takes no arguments");let r=t.port===void 0?3851:Number(t.port);if(!Number.isInteger(r)||r<0||r>65535)throw new u("--port must be a port number");let n=k(t,e);await n.open()==="rolled-back"&&e.stderr.write(`warning: an interrupted install was rolled back
`);let{server:c,url:p}=await v(new S(n),t.host??"127.0.0.1",r);return e.stdout.write(`Serving the marketplace routes at ${p} (workspace ${n.ws.root})
`),await new Promise(y=>{let m=a(()=>c.close(()=>y()),"stop");process.once("SIGINT",m),process.once("SIGTERM",m)}),l.ok}a(N,"serve");export{E as SERVE_HELP,N as serve};
