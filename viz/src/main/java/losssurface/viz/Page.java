package losssurface.viz;

/** The fixed parts of the HTML pages: style, plotting script, escaping. */
final class Page {
    private Page() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static final String STYLE = """
            body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:0 24px 40px;color:#222}
            header{border-bottom:1px solid #ddd;margin-bottom:12px}header h1{font-size:22px;margin:8px 0 2px}
            header p{color:#555;margin:0 0 10px}header a{float:right;margin-top:12px}
            .controls{margin:8px 0}.row{display:flex;flex-wrap:wrap;gap:12px}
            .plot{flex:1 1 560px;height:560px;min-width:420px}.plot.small{height:340px}.plot.wide{flex-basis:100%}
            table{border-collapse:collapse;font-size:13px;margin-top:6px}th,td{border-bottom:1px solid #eee;padding:3px 10px;text-align:left;vertical-align:top}
            th{color:#555;font-weight:600;white-space:nowrap}td{font-family:'DejaVu Sans Mono',monospace;word-break:break-all}
            table.runs td{font-family:inherit}
            """;

    /** Draws from the DATA object the page embeds; sets the title to 'ok' when every plot is drawn. */
    static final String SCRIPT = """
            (function(){
            const sel=document.getElementById('metric'), logBox=document.getElementById('log');
            DATA.metrics.forEach(m=>{const o=document.createElement('option');o.value=m;o.textContent=m;sel.appendChild(o);});
            logBox.checked=DATA.log;
            const A=DATA.axes[0], B=DATA.axes[1];
            function tr(v,log){return v===null?null:(log?(v>0?Math.log10(v):null):v);}
            function rows(flat){const out=[];for(let j=0;j<B.values.length;j++){const r=[];for(let i=0;i<A.values.length;i++){r.push(flat[i*B.values.length+j]);}out.push(r);}return out;}
            function nearest(vals){let k=0;vals.forEach((v,i)=>{if(Math.abs(v)<Math.abs(vals[k]))k=i;});return k;}
            function draw(){
              const m=sel.value, log=logBox.checked&&m===DATA.metrics[0]||logBox.checked&&DATA.grids[m].every(v=>v===null||v>0);
              const flat=DATA.grids[m].map(v=>tr(v,log)), title=(log?'log10 ':'')+m;
              const pending=[];
              if(B){
                const z=rows(flat);
                pending.push(Plotly.react('surface',[{type:'surface',x:A.values,y:B.values,z:z,colorscale:'Viridis',colorbar:{title:{text:title}},
                  contours:{z:{show:true,usecolormap:true,project:{z:true}}}}],
                  {title:{text:m+' surface'},margin:{l:0,r:0,t:40,b:0},scene:{xaxis:{title:{text:A.label}},yaxis:{title:{text:B.label}},zaxis:{title:{text:title}},
                  camera:{eye:{x:-1.25,y:-1.6,z:1.1}}}},{responsive:true}));
                const traces=[{type:'contour',x:A.values,y:B.values,z:z,colorscale:'Viridis',ncontours:20,contours:{showlabels:true,labelfont:{size:11,color:'white'}},
                  colorbar:{title:{text:title}}},
                  {type:'scatter',x:[0],y:[0],mode:'markers+text',text:['θ*'],textposition:'top right',marker:{symbol:'star',size:14,color:'white',line:{color:'black',width:1}},name:'θ*'}];
                if(DATA.trajectory.length){traces.push({type:'scatter',x:DATA.trajectory.map(p=>p[0]),y:DATA.trajectory.map(p=>p[1]),mode:'lines+markers',
                  line:{color:'#d62728',width:2},marker:{size:6},name:'training path'});}
                if(DATA.cliffs&&DATA.cliffs.length&&m===DATA.cliffMetric){traces.push({type:'scatter',x:DATA.cliffs.map(p=>p[0]),y:DATA.cliffs.map(p=>p[1]),
                  mode:'markers',marker:{symbol:'x-thin-open',size:9,color:'#c01010',line:{width:2,color:'#c01010'}},name:'cliff edge'});}
                pending.push(Plotly.react('contour',traces,{title:{text:m+' contours'},xaxis:{title:{text:A.label}},yaxis:{title:{text:B.label}},showlegend:false},{responsive:true}));
                const jb=nearest(B.values), ia=nearest(A.values), raw=DATA.grids[m];
                pending.push(Plotly.react('sliceA',[{x:A.values,y:A.values.map((_,i)=>raw[i*B.values.length+jb]),mode:'lines',line:{color:'#1f77b4'}}],
                  {title:{text:m+' along '+A.name+' through θ*'},xaxis:{title:{text:A.label}},yaxis:{title:{text:m},type:log?'log':'linear'}},{responsive:true}));
                pending.push(Plotly.react('sliceB',[{x:B.values,y:B.values.map((_,j)=>raw[ia*B.values.length+j]),mode:'lines',line:{color:'#1f77b4'}}],
                  {title:{text:m+' along '+B.name+' through θ*'},xaxis:{title:{text:B.label}},yaxis:{title:{text:m},type:log?'log':'linear'}},{responsive:true}));
              } else {
                const traces=DATA.metrics.map((k,n)=>({x:A.values,y:DATA.grids[k],mode:'lines',name:k,yaxis:n?'y2':'y'}));
                pending.push(Plotly.react('line',traces,{title:{text:DATA.metrics.join(' and ')+' along the line'},xaxis:{title:{text:A.label}},
                  yaxis:{title:{text:DATA.metrics[0]},type:log?'log':'linear'},yaxis2:{title:{text:DATA.metrics[1]||''},overlaying:'y',side:'right'}},{responsive:true}));
              }
              if(document.getElementById('training')){
                const names=Object.keys(DATA.history);
                pending.push(Plotly.react('training',names.map((k,n)=>({y:DATA.history[k],x:DATA.history[k].map((_,i)=>i+1),mode:'lines',name:k,
                  yaxis:k.includes('loss')?'y':'y2'})),{title:{text:'training curves'},xaxis:{title:{text:DATA.historyX}},
                  yaxis:{title:{text:'loss'}},yaxis2:{overlaying:'y',side:'right'}},{responsive:true}));
              }
              return Promise.all(pending);
            }
            sel.onchange=draw;logBox.onchange=draw;
            draw().then(()=>{if(!document.title.startsWith('error'))document.title='ok';},e=>{document.title='error: '+e;});
            })();
            """;
}
