/**
 * The report's only stylesheet (allowed by hash in the Content-Security-Policy). It must keep the
 * page readable from a 420 px phone to a 1440 px screen with nothing wider than the window: wide
 * tables scroll inside their .table-wrap, and long unbroken words wrap wherever they must.
 */
export const REPORT_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;--link:#0969da;--hover:#eef6ff;--pass:#1a7f37;--fail:#cf222e;--err:#9a6700}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:16px 24px 64px;overflow-wrap:break-word}
h1,h2,h3,h4,p,li,summary,caption,figcaption,.verdict,.banner,.chip{overflow-wrap:anywhere}
h1{font-size:26px;margin:8px 0 4px;line-height:1.25}
h2{font-size:21px;border-bottom:1px solid var(--line);padding-bottom:4px;margin:32px 0 12px;line-height:1.3}
h3{font-size:18px;margin:24px 0 8px;line-height:1.3}
h2,h3,section{scroll-margin-top:8px}
a{color:var(--link)}
img{max-width:100%;height:auto}
nav{display:flex;flex-wrap:wrap;gap:4px 16px;margin:4px 0 8px}
.table-wrap{overflow-x:auto;max-width:100%;margin:8px 0 16px}
table{border-collapse:collapse;margin:0;font-size:14px}
th,td{border:1px solid var(--line);padding:4px 10px;vertical-align:top}
th{background:var(--bg2);text-align:left}
td.r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
caption{caption-side:top;text-align:left;color:var(--muted);padding-bottom:4px}p.caption{margin:12px 0 4px}
tr.linked{cursor:pointer}
tr.linked:hover>td,tr.linked:focus>td{background:var(--hover)}
tr.linked:focus{outline:2px solid var(--link);outline-offset:-2px}
tr.linked>td:first-child{box-shadow:inset 3px 0 0 var(--link)}
a.cells-link{text-decoration:underline dotted;cursor:pointer}
.muted{color:var(--muted);font-size:13px}
.verdict{font-size:20px;font-weight:700;padding:12px 16px;border-radius:6px;border:2px solid;margin:12px 0}
.verdict.pass{color:var(--pass);border-color:var(--pass);background:#dafbe1}.verdict.fail{color:var(--fail);border-color:var(--fail);background:#ffebe9}
.verdict.error,.verdict.inconclusive{color:var(--err);border-color:var(--err);background:#fff8c5}
.banner{padding:12px 16px;border-radius:6px;margin:12px 0;font-size:16px}
.banner.synthetic{background:#1f2328;color:#fff;border:4px solid #e69f00;font-size:17px}
.banner.synthetic strong{color:#ffd33d;text-transform:uppercase;letter-spacing:.04em;margin-right:6px}
.banner.incomplete{background:#fff8c5;color:#3b2300;border:3px solid #bf8700;border-left-width:10px}
.banner.incomplete strong{margin-right:6px}
.notice{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}
figure{margin:16px 0}figure img{border:1px solid var(--line)}figcaption{color:var(--muted);font-size:13px}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:0 10px}details[open]{padding-bottom:8px}
summary{cursor:pointer;padding:6px 0;font-weight:600}summary .count{color:var(--muted);font-weight:400;margin-left:6px}
details.section{padding:0 14px;margin:12px 0;background:#fff}
details.section>summary{font-size:17px;padding:8px 0}
details.section[open]>summary{border-bottom:1px solid var(--line);margin-bottom:8px}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end;margin:8px 0;padding:10px 12px;background:var(--bg2);border:1px solid var(--line);border-radius:6px}
.field{display:flex;flex-direction:column;gap:2px;font-size:13px;color:var(--muted);min-width:0;max-width:100%}
.field.search{flex:1 1 220px}
.check{display:inline-flex;align-items:center;gap:6px;font-size:14px;min-height:30px}
select,input,button{font:inherit;font-size:14px;max-width:100%}
select,input[type=search]{padding:4px 6px;border:1px solid var(--line);border-radius:4px;background:#fff;color:var(--fg)}
input[type=search]{width:100%;min-width:0}
input[type=checkbox]{width:16px;height:16px;margin:0}
button{padding:4px 10px;border:1px solid var(--line);border-radius:4px;background:#fff;color:var(--fg);cursor:pointer}
button:hover{background:var(--hover)}
:focus-visible{outline:2px solid var(--link);outline-offset:1px}
.chip{display:inline-flex;flex-wrap:wrap;align-items:center;gap:4px;max-width:100%;margin:4px 0;padding:3px 4px 3px 12px;border:1px solid #54aeff;border-radius:16px;background:#ddf4ff;color:#0a3069;font-size:14px}
.chip-clear{border:0;background:none;color:var(--link);text-decoration:underline;padding:0 8px 0 0}
.count-line{font-weight:600;margin:8px 0}
.cell{border-top:1px solid var(--line);padding:8px 0;overflow-wrap:anywhere}
.cell h4{margin:4px 0;font-size:14px}.cell-id{font-weight:400;color:var(--muted);font-size:12px;margin-left:8px}
.msg{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg2);border-radius:6px;padding:8px 10px;margin:4px 0;font-size:14px}
.msg.assistant{background:#fff;border:1px solid var(--line)}.role{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
mark{background:#fbe3a6;border-bottom:2px solid #e69f00;padding:0 1px}
.tag,.badge{display:inline-block;max-width:100%;border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:2px 4px 2px 0;font-size:12px;background:#fff;vertical-align:middle}
.tag.rt{font-weight:600}.tag.v.hit{background:#fbe3a6}.err{color:var(--fail)}
.badge{font-weight:600}
.badge.pass{background:#dafbe1;color:#116329;border-color:#4ac26b}
.badge.fail{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.badge.none{background:var(--bg2);color:var(--muted)}
.badge.watch{background:#fff1e5;color:#953800;border-color:#fb8f44}
.badge.changed{background:#ddf4ff;color:#0550ae;border-color:#54aeff}
.judgment{margin-top:6px;font-size:14px}
.judgment ul{margin:2px 0 6px;padding-left:20px}.judgment li{margin:2px 0}
q.evidence{font-style:italic}
.examples-panel{position:fixed;left:0;right:0;bottom:0;z-index:10;max-height:60vh;overflow:auto;background:#fff;border-top:3px solid var(--link);box-shadow:0 -6px 24px rgba(31,35,40,.2);padding:0 16px 16px}
body.examples-open{padding-bottom:calc(60vh + 32px)}
.panel-head{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;align-items:center;gap:8px;background:#fff;padding:10px 0 6px;border-bottom:1px solid var(--line)}
.panel-head h3{flex:1 1 150px;margin:0;font-size:17px}.panel-head button{flex:none}
.examples-panel .detail{margin:6px 0}
.pair{margin:10px 0 16px}.pair-head{margin:4px 0;font-size:15px}
.pair-sides{display:grid;grid-template-columns:minmax(0,1fr);gap:10px}
.pair-side{min-width:0;border:1px solid var(--line);border-radius:6px;padding:4px 10px}
.pair-side .cell{border-top:0}
.side-label{font-weight:700;font-size:13px;padding-top:4px}.pair-side.base .side-label{color:#0072b2}.pair-side.cand .side-label{color:#d55e00}
@media (min-width:900px){.pair-sides{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
@media (max-width:600px){
body{padding:10px 10px 48px;font-size:14px}
h1{font-size:21px}h2{font-size:18px;margin-top:24px}h3{font-size:16px}
th,td{padding:3px 6px;font-size:13px}
details{padding:0 6px}details.section{padding:0 8px}
.controls{padding:8px}.field,.field.search{flex:1 1 100%}
.verdict{font-size:17px;padding:10px 12px}
.examples-panel{max-height:70vh;padding:0 10px 12px}body.examples-open{padding-bottom:calc(70vh + 24px)}
}
`;
