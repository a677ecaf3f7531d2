/**
 * The labelling page's only stylesheet (allowed by hash in its CSP): transcript, answer and rubric
 * side by side on a wide screen, one above the other on a narrow one; focus always visible.
 */
export const LABEL_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;--link:#0969da;--on:#0969da;--onbg:#ddf4ff;--ok:#1a7f37}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;color:var(--fg);margin:0 auto;max-width:1600px;padding:8px 16px 48px;overflow-wrap:anywhere}
h1{font-size:20px;margin:4px 0}h2{font-size:17px;margin:8px 0}h3{font-size:15px;margin:12px 0 4px}
.muted{color:var(--muted);font-size:13px;font-weight:400}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;border-bottom:1px solid var(--line);padding-bottom:6px}
.progress{font-weight:600;margin:0}
.actions{display:flex;gap:6px;margin-left:auto}
button{font:inherit;padding:3px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg2);color:var(--fg);cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid var(--link);outline-offset:1px}
kbd{font:12px ui-monospace,monospace;border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;padding:0 4px;background:#fff}
#workspace{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,4fr) minmax(0,3fr);gap:16px;margin-top:8px}
@media (max-width:1100px){#workspace{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}#rubric{grid-column:1 / -1}}
@media (max-width:700px){#workspace{grid-template-columns:minmax(0,1fr)}}
.msg{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:6px 0;white-space:pre-wrap}
.msg .role{display:block;font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.msg.system{background:var(--bg2)}.msg.user{background:#fff}.msg.assistant{background:#f0f6ff}
.msg.final{border:2px solid var(--on)}
[role=radiogroup]{display:flex;flex-wrap:wrap;gap:4px}
[role=radio][aria-checked=true]{background:var(--onbg);border-color:var(--on);font-weight:600}
.chips{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px}
.chips li{border:1px solid var(--line);border-radius:12px;padding:0 4px 0 10px;background:var(--bg2)}
.chips li.off{border-style:dashed}
.chips button{border:0;background:none;padding:0 4px}
.combo{position:relative}
.combo input{width:100%;font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px}
[role=listbox]{position:absolute;z-index:2;left:0;right:0;margin:0;padding:0;list-style:none;background:#fff;border:1px solid var(--line);border-radius:6px;max-height:260px;overflow-y:auto}
[role=option]{padding:2px 8px;cursor:pointer}[role=option][aria-selected=true]{background:var(--onbg)}
#submit.done{border-color:var(--ok);color:var(--ok)}
#judge{border:2px solid var(--ok);border-radius:6px;padding:4px 10px;margin:8px 0}
#judge dl,#rubric dl{margin:4px 0}#judge dt{font-weight:600}#judge dd{margin:0 0 4px 12px}
.agree{color:var(--ok)}.disagree{color:#cf222e}
#rubric{font-size:14px;border-left:1px solid var(--line);padding-left:12px}
#rubric dt{font-weight:600;margin-top:6px}#rubric dd{margin:0 0 0 8px}#rubric dd p{margin:2px 0}
#rubric dt.current{background:var(--onbg)}
.borderline{color:var(--muted)}
#help table{border-collapse:collapse;margin:8px 0}#help th,#help td{border:1px solid var(--line);padding:2px 8px;text-align:left}
#annotator-form{margin:16px 0}#annotator-form input{font:inherit;padding:4px 8px}
.notice{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}
`;
