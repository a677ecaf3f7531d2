/** The report's only stylesheet (allowed by hash in the Content-Security-Policy). */
export const REPORT_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--err:#9a6700}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:16px 24px 64px}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:21px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}h3{font-size:18px;margin-top:24px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}th,td{border:1px solid var(--line);padding:4px 10px;vertical-align:top}th{background:var(--bg2);text-align:left}
td.r{text-align:right;font-variant-numeric:tabular-nums}caption{caption-side:top;text-align:left;color:var(--muted);padding-bottom:4px}
.muted{color:var(--muted);font-size:13px}
.verdict{font-size:20px;font-weight:700;padding:12px 16px;border-radius:6px;border:2px solid;margin:12px 0}
.verdict.pass{color:var(--pass);border-color:var(--pass);background:#dafbe1}.verdict.fail{color:var(--fail);border-color:var(--fail);background:#ffebe9}.verdict.error{color:var(--err);border-color:var(--err);background:#fff8c5}.verdict.inconclusive{color:var(--err);border-color:var(--err);background:#fff8c5}
.notice{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}
figure{margin:16px 0}figure img{max-width:100%;height:auto;border:1px solid var(--line)}figcaption{color:var(--muted);font-size:13px}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:0 10px}details[open]{padding-bottom:8px}
summary{cursor:pointer;padding:6px 0;font-weight:600}summary .count{color:var(--muted);font-weight:400;margin-left:6px}
.cell{border-top:1px solid var(--line);padding:8px 0}.cell h4{margin:4px 0;font-size:14px}
.msg{white-space:pre-wrap;word-wrap:break-word;background:var(--bg2);border-radius:6px;padding:8px 10px;margin:4px 0;font-size:14px}
.msg.assistant{background:#fff;border:1px solid var(--line)}.role{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
mark{background:#fbe3a6;border-bottom:2px solid #e69f00;padding:0 1px}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:2px 4px 2px 0;font-size:12px;background:#fff}
.tag.rt{font-weight:600}.tag.v.hit{background:#fbe3a6}.err{color:var(--fail)}
.controls{display:flex;gap:12px;align-items:center;margin:8px 0}select,input{font:inherit;padding:2px 6px}
nav a{margin-right:12px}
`;
