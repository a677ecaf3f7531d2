/**
 * The report's only script (allowed by hash in the CSP). It builds the transcript browser from the
 * embedded JSON lazily, one domain or scenario at a time, and only ever inserts text with
 * textContent / createTextNode: no model text is ever parsed as HTML.
 */
export const REPORT_JS = `(function(){
'use strict';
var blob=document.getElementById('cells');var root=document.getElementById('browser');var sel=document.getElementById('model-filter');
if(!blob||!root)return;
var cells=JSON.parse(blob.textContent||'[]');
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined&&text!==null)e.textContent=String(text);return e;}
function group(list,key){var m=new Map();list.forEach(function(c){var k=c[key];if(!m.has(k))m.set(k,[]);m.get(k).push(c);});return new Map(Array.from(m.entries()).sort(function(a,b){return a[0]<b[0]?-1:a[0]>b[0]?1:0;}));}
function lazyDetails(label,count,fill){var d=el('details');var s=el('summary');s.appendChild(el('span',null,label));s.appendChild(el('span','count','('+count+')'));d.appendChild(s);var done=false;d.addEventListener('toggle',function(){if(d.open&&!done){done=true;fill(d);}});return d;}
function responseNode(c){var box=el('div','msg assistant');box.appendChild(el('div','role','assistant'));var text=c.resp||'';var pos=0;(c.marks||[]).forEach(function(m){if(m[0]<pos)return;box.appendChild(document.createTextNode(text.slice(pos,m[0])));var mk=el('mark',null,text.slice(m[0],m[1]));var v=c.av&&c.av[m[2]];if(v)mk.title=v.v;box.appendChild(mk);pos=m[1];});box.appendChild(document.createTextNode(text.slice(pos)));return box;}
function cellNode(c){var a=el('div','cell');a.id='cell-'+c.c;a.appendChild(el('h4',null,c.m+' · sample '+c.n));
var meta=el('div');if(c.rt)meta.appendChild(el('span','tag rt','response: '+String(c.rt).replace(/_/g,' ')));if(c.rf&&c.rf!=='none')meta.appendChild(el('span','tag','refusal: '+c.rf));
(c.uv||[]).forEach(function(v){meta.appendChild(el('span','tag','user value: '+v));});a.appendChild(meta);
if(c.sys){var s=el('div','msg');s.appendChild(el('div','role','system'));s.appendChild(document.createTextNode(c.sys));a.appendChild(s);}
c.msgs.forEach(function(m){var b=el('div','msg '+(m.r==='assistant'?'assistant':''));b.appendChild(el('div','role',m.r));b.appendChild(document.createTextNode(m.t));a.appendChild(b);});
if(c.resp!==null)a.appendChild(responseNode(c));if(c.err)a.appendChild(el('p','err','cell error: '+c.err));if(c.jerr)a.appendChild(el('p','err','judge error: '+c.jerr));
if(c.av&&c.av.length){var vs=el('div');vs.appendChild(el('span','muted','AI values: '));var hit=new Set((c.marks||[]).map(function(m){return m[2];}));c.av.forEach(function(v,i){var t=el('span','tag v'+(hit.has(i)?' hit':''),v.v+(v.c?' · '+v.c:''));if(v.e)t.title='evidence: '+v.e;vs.appendChild(t);});a.appendChild(vs);}
if(c.hv&&c.hv.length){var hv=el('div');hv.appendChild(el('span','muted','human values: '));c.hv.forEach(function(v){hv.appendChild(el('span','tag',v));});a.appendChild(hv);}
return a;}
function render(){var want=sel?sel.value:'';var list=want?cells.filter(function(c){return c.m===want;}):cells;root.textContent='';
if(list.length===0){root.appendChild(el('p','muted','No transcripts.'));return;}
group(list,'d').forEach(function(inDomain,domain){root.appendChild(lazyDetails(domain,inDomain.length,function(d){group(inDomain,'s').forEach(function(inScenario,scenario){var sd=lazyDetails(scenario,inScenario.length,function(x){inScenario.sort(function(p,q){return p.m<q.m?-1:p.m>q.m?1:p.n-q.n;}).forEach(function(c){x.appendChild(cellNode(c));});});sd.className='scenario';sd.dataset.scenario=scenario;d.appendChild(sd);});}));});}
if(sel){Array.from(new Set(cells.map(function(c){return c.m;}))).sort().forEach(function(m){var o=el('option',null,m);o.value=m;sel.appendChild(o);});sel.addEventListener('change',render);}
render();
})();`;
