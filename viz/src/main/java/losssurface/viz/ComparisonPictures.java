package losssurface.viz;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import losssurface.api.Comparison;
import losssurface.api.RunResult;
import losssurface.api.Surface;
import losssurface.runs.Findings;
import losssurface.runs.RunFolder;

/** The pictures of a {@link Comparison}: a PNG sheet per shared metric (png) and one HTML page (html). */
final class ComparisonPictures {

    private final Comparison comparison;
    private final PngOptions options;

    ComparisonPictures(Comparison comparison, PngOptions options) {
        this.comparison = comparison;
        this.options = options;
    }

    /** One PNG sheet per shared metric. */
    List<Path> sheets(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String metric : comparison.metrics()) {
            if (metric.equals(losssurface.api.Cliffs.METRIC)) {
                continue; // marked on the return's sheet instead
            }
            files.add(sheet(metric, RunFolder.comparisonSheet(dir, metric)));
        }
        return files;
    }

    private String who(RunResult r) {
        return comparison.label(r);
    }

    /** One colour scale over every run's values of {@code metric}. */
    private ColorScale sharedScale(String metric) {
        List<Double> all = new ArrayList<>();
        for (RunResult r : comparison.runs()) {
            for (double v : r.surface().grid(metric)) {
                all.add(v);
            }
        }
        double[] values = all.stream().mapToDouble(Double::doubleValue).toArray();
        return ColorScale.of(values, Double.NaN, options.logFor(values));
    }

    private Path sheet(String metric, Path file) throws IOException {
        List<RunResult> runs = comparison.runs();
        int n = runs.size();
        int panel = 520;
        int gap = 80; // room for the next panel's axis label
        List<String> differences = comparison.differences();
        Findings findings = new Findings(comparison);
        double[] columns = findings.any() ? columnWidths(findings) : new double[0];
        int width = (int) Math.max(90 + n * (panel + gap) - gap + 160, 120 + java.util.Arrays.stream(columns).sum());
        int tableRows = findings.any() ? findings.rows().size() + 1 : 0;
        int height = 148 + panel + 70 + 18 * differences.size() + (tableRows > 0 ? 24 + 20 * tableRows : 0);
        Canvas c = new Canvas(width, height);
        ColorScale scale = sharedScale(metric);
        List<String> title = new ArrayList<>();
        title.add(metric + " \u2014 " + String.join(" vs ", runs.stream().map(this::who).toList()));
        title.add(differences.isEmpty() ? "measured alike: " + comparison.sameMeasurement() + (scale.log() ? "; log scale" : "")
                : "NOT measured alike (see below)" + (scale.log() ? "; log scale" : ""));
        c.title(title, width / 2.0, 14);
        boolean plane = runs.get(0).surface().isPlane();
        double top = 118;
        for (int k = 0; k < n; k++) {
            RunResult r = runs.get(k);
            double left = 90 + k * (panel + gap);
            c.g.setFont(Canvas.font(14, true));
            c.text(who(r), left + panel / 2.0, top - 40, 0.5, 0);
            c.g.setFont(Canvas.font(11, false));
            c.text(r.name(), left + panel / 2.0, top - 20, 0.5, 0);
            if (plane) {
                Plane p = Pictures.plane(r.surface(), metric);
                ContourPlot.draw(c, p, scale, Contours.levels(scale, options.levels()), left, top, panel, panel);
            } else {
                Surface s = r.surface();
                LinePlot.draw(c, s.axes().get(0).values(), s.axes().get(0).label(),
                        new LinePlot.Series(metric, s.grid(metric), scale.log()), null, true, left, top, panel, panel);
            }
        }
        if (plane) {
            c.colorBar(scale, 90 + n * (panel + gap) - gap + 30, top, 18, panel, metric, Contours.levels(scale, options.levels()));
        }
        c.g.setFont(Canvas.font(13, false));
        c.g.setColor(new Color(0xb0, 0x20, 0x20));
        double y = top + panel + 56;
        for (String d : differences) {
            c.text(d, 90, y, 0, 0);
            y += 18;
        }
        if (tableRows > 0) {
            table(c, findings, columns, 90, y + 10);
        }
        c.save(file);
        return file;
    }

    /** Each column of the findings as wide as its widest cell (bold for the header), and a gap. */
    private static double[] columnWidths(Findings f) {
        java.awt.Graphics2D g = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics();
        double[] widths = new double[f.header().size()];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = g.getFontMetrics(Canvas.font(13, true)).stringWidth(f.header().get(k)) + 22;
            for (List<String> row : f.rows()) {
                widths[k] = Math.max(widths[k], g.getFontMetrics(Canvas.font(13, false)).stringWidth(row.get(k)) + 22);
            }
        }
        g.dispose();
        return widths;
    }

    /** The findings as a table of text on the sheet. */
    private static void table(Canvas c, Findings f, double[] widths, double left, double top) {
        List<List<String>> all = new ArrayList<>();
        all.add(f.header());
        all.addAll(f.rows());
        double y = top;
        for (int r = 0; r < all.size(); r++) {
            c.g.setFont(Canvas.font(13, r == 0));
            c.g.setColor(Color.BLACK);
            double x = left;
            for (int k = 0; k < widths.length; k++) {
                c.text(all.get(r).get(k), x, y, 0, 0);
                x += widths[k];
            }
            y += 20;
        }
    }

    /** The findings as an HTML table. */
    private static String findingsTable(Findings f) {
        StringBuilder t = new StringBuilder("<h2>In numbers</h2>\n<table class=\"findings\"><tr>");
        f.header().forEach(h -> t.append("<th>").append(Page.esc(h)).append("</th>"));
        t.append("</tr>\n");
        for (List<String> row : f.rows()) {
            t.append("<tr>");
            row.forEach(c -> t.append("<td>").append(Page.esc(c)).append("</td>"));
            t.append("</tr>\n");
        }
        return t.append("</table>\n<p>").append(Page.esc(Findings.NOTE)).append("</p>\n").toString();
    }

    /** The comparison page's HTML. */
    String page() throws IOException {
        List<RunResult> runs = comparison.runs();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metrics", comparison.metrics());
        data.put("cliffMetric", losssurface.api.Sharpness.RETURN);
        List<Object> list = new ArrayList<>();
        for (RunResult r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("who", who(r));
            List<Object> axes = new ArrayList<>();
            r.surface().axes().forEach(a -> axes.add(Map.of("label", a.label(), "values", a.values())));
            m.put("axes", axes);
            Map<String, Object> grids = new LinkedHashMap<>();
            for (String metric : comparison.metrics()) {
                List<Double> g = new ArrayList<>();
                for (double v : r.surface().grid(metric)) {
                    g.add(Double.isFinite(v) ? v : null);
                }
                grids.put(metric, g);
            }
            m.put("grids", grids);
            m.put("trajectory", r.surface().trajectory());
            m.put("cliffs", r.surface().isPlane() ? Pictures.cliffs(r.surface()) : List.of());
            list.add(m);
        }
        data.put("runs", list);
        Map<String, Boolean> log = new LinkedHashMap<>();
        comparison.metrics().forEach(m -> log.put(m, sharedScale(m).log()));
        data.put("log", log);
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>loading</title>\n")
                .append("<script>window.onerror=function(m){document.title='error: '+m;};</script>\n")
                .append("<script src=\"../").append(HtmlRenderer.PLOTLY_FILE).append("\"></script>\n<style>").append(Page.STYLE)
                .append(".bad{color:#b02020;font-weight:600}</style></head><body>\n<header><a href=\"../index.html\">all runs</a><h1>")
                .append(Page.esc(String.join(" vs ", runs.stream().map(this::who).toList()))).append("</h1>");
        List<String> differences = comparison.differences();
        if (differences.isEmpty()) {
            html.append("<p>Measured alike: ").append(Page.esc(comparison.sameMeasurement())).append(". One colour scale and one camera for all.</p>");
        } else {
            for (String d : differences) {
                html.append("<p class=\"bad\">").append(Page.esc(d)).append("</p>");
            }
        }
        html.append("</header>\n<div class=\"controls\">metric <select id=\"metric\"></select></div>\n<div class=\"row\" id=\"surfaces\"></div>\n")
                .append("<div class=\"row\" id=\"contours\"></div>\n");
        Findings findings = new Findings(comparison);
        if (findings.any()) {
            html.append(findingsTable(findings));
        }
        html.append("<h2>Runs</h2><ul>");
        for (RunResult r : runs) {
            html.append("<li><a href=\"../").append(Page.esc(r.name())).append("/index.html\">").append(Page.esc(r.name())).append("</a></li>");
        }
        html.append("</ul>\n<script>const DATA=").append(new ObjectMapper().writeValueAsString(data).replace("</", "<\\/"))
                .append(";\n").append(SCRIPT).append("</script></body></html>\n");
        return html.toString();
    }

    private static final String SCRIPT = """
            (function(){
            const sel=document.getElementById('metric');
            DATA.metrics.forEach(m=>{const o=document.createElement('option');o.value=m;o.textContent=m;sel.appendChild(o);});
            const S=document.getElementById('surfaces'), C=document.getElementById('contours');
            DATA.runs.forEach((r,k)=>{for(const [host,p] of [[S,'s'],[C,'c']]){const d=document.createElement('div');d.id=p+k;d.className='plot';host.appendChild(d);}});
            function tr(v,log){return v===null?null:(log?(v>0?Math.log10(v):null):v);}
            function draw(){
              const m=sel.value, log=DATA.log[m], pending=[];
              let lo=Infinity, hi=-Infinity;
              DATA.runs.forEach(r=>r.grids[m].forEach(v=>{const t=tr(v,log);if(t!==null){lo=Math.min(lo,t);hi=Math.max(hi,t);}}));
              const camera={eye:{x:-1.25,y:-1.6,z:1.1}};
              DATA.runs.forEach((r,k)=>{
                const A=r.axes[0],B=r.axes[1];
                if(!B){pending.push(Plotly.react('s'+k,[{x:A.values,y:r.grids[m],mode:'lines'}],{title:{text:r.who},yaxis:{range:[lo,hi],type:log?'log':'linear'}}));return;}
                const z=[];for(let j=0;j<B.values.length;j++){const row=[];for(let i=0;i<A.values.length;i++)row.push(tr(r.grids[m][i*B.values.length+j],log));z.push(row);}
                pending.push(Plotly.react('s'+k,[{type:'surface',x:A.values,y:B.values,z:z,cmin:lo,cmax:hi,colorscale:'Viridis',showscale:k===DATA.runs.length-1}],
                  {title:{text:r.who},margin:{l:0,r:0,t:40,b:0},scene:{camera:camera,zaxis:{range:[lo,hi],title:{text:(log?'log10 ':'')+m}}}}));
                const traces=[{type:'contour',x:A.values,y:B.values,z:z,zmin:lo,zmax:hi,zauto:false,colorscale:'Viridis',showscale:k===DATA.runs.length-1,
                  contours:{start:lo,end:hi,size:(hi-lo)/20,showlabels:true,labelfont:{size:10,color:'white'}}},
                  {type:'scatter',x:[0],y:[0],mode:'markers',marker:{symbol:'star',size:13,color:'white',line:{color:'black',width:1}}}];
                if(r.trajectory.length)traces.push({type:'scatter',x:r.trajectory.map(p=>p[0]),y:r.trajectory.map(p=>p[1]),mode:'lines+markers',line:{color:'#d62728'}});
                if(r.cliffs.length&&m===DATA.cliffMetric)traces.push({type:'scatter',x:r.cliffs.map(p=>p[0]),y:r.cliffs.map(p=>p[1]),mode:'markers',
                  marker:{symbol:'x-thin-open',size:9,color:'#c01010',line:{width:2,color:'#c01010'}},name:'cliff edge'});
                pending.push(Plotly.react('c'+k,traces,{title:{text:r.who+' \\u2014 contours'},showlegend:false,xaxis:{title:{text:A.label}},yaxis:{title:{text:B.label}}}));
              });
              return Promise.all(pending);
            }
            sel.onchange=draw;
            draw().then(()=>{if(!document.title.startsWith('error'))document.title='ok';},e=>{document.title='error: '+e;});
            })();
            """;
}
