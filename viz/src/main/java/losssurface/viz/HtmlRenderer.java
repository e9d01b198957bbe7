package losssurface.viz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import losssurface.api.Comparison;
import losssurface.api.Connection;
import losssurface.api.LossSurfaceException;
import losssurface.api.Provenance;
import losssurface.api.Renderer;
import losssurface.api.RunResult;
import losssurface.api.Sharpness;
import losssurface.api.Surface;
import losssurface.api.io.AtomicFiles;
import losssurface.runs.ConnectionFolder;
import losssurface.runs.RunFolder;

/**
 * One interactive page per run ({@code index.html} in the run folder) that works offline:
 * plotly.js comes from its WebJar and is copied once next to the run folders. The page shows a
 * rotatable 3D surface, the labelled contour map with theta* and the trajectory, slices through
 * theta* along each axis, the training curves and a provenance table. The output folder's own
 * {@code index.html} links every run in it.
 */
final class HtmlRenderer implements Renderer {

    static final String PLOTLY_VERSION = "2.35.3";
    static final String PLOTLY_RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + PLOTLY_VERSION + "/plotly.js";
    static final String PLOTLY_FILE = "plotly-" + PLOTLY_VERSION + ".js";

    private final ObjectMapper json = new ObjectMapper();
    private final String log;

    /** @param log the {@code png.log} setting the page's log-scale switch starts from: auto, true or false */
    HtmlRenderer(String log) {
        this.log = log;
    }

    HtmlRenderer() {
        this("auto");
    }

    @Override
    public List<Path> render(RunResult run, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        copyPlotly(root);
        Path page = dir.resolve(RunFolder.PAGE);
        AtomicFiles.writeString(page, page(run));
        files.add(page);
        files.add(writeIndex(root));
        return files;
    }

    /** The comparison's page: every run's surface with one colour scale and one camera. */
    @Override
    public List<Path> compare(Comparison comparison, Path dir) throws IOException {
        copyPlotly(dir.toAbsolutePath().getParent());
        Path page = dir.resolve(RunFolder.COMPARISON_PAGE);
        AtomicFiles.writeString(page, new ComparisonPictures(comparison, PngOptions.defaults()).page());
        return List.of(page);
    }

    /** The connection's page: every metric along the straight line and the trained curve, and the barrier heights. */
    @Override
    public List<Path> connect(Connection.Result connection, Path dir) throws IOException {
        copyPlotly(dir.toAbsolutePath().getParent());
        Map<String, Object> data = new LinkedHashMap<>();
        List<Object> paths = new ArrayList<>();
        for (Connection.Path p : connection.paths()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", ConnectionPictures.label(p));
            m.put("t", p.t());
            Map<String, Object> metrics = new LinkedHashMap<>();
            p.metrics().forEach((k, v) -> metrics.put(k, finite(v)));
            m.put("metrics", metrics);
            paths.add(m);
        }
        data.put("paths", paths);
        data.put("metrics", List.copyOf(connection.line().metrics().keySet()));
        data.put("first", connection.first());
        data.put("second", connection.second());
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>loading</title>\n")
                .append("<script>window.onerror=function(m){document.title='error: '+m;};</script>\n")
                .append("<script src=\"../").append(PLOTLY_FILE).append("\"></script>\n<style>").append(Page.STYLE)
                .append("</style></head><body>\n<header><a href=\"../index.html\">all runs</a><h1>")
                .append(Page.esc(connection.first() + " \u2194 " + connection.second())).append("</h1><p>")
                .append(Page.esc(connection.objective())).append("</p></header>\n");
        html.append("<table><tr><th>path</th><th>barrier</th><th>at t</th></tr>\n");
        for (Connection.Path p : connection.paths()) {
            html.append("<tr><td>").append(Page.esc(ConnectionPictures.label(p))).append("</td><td>").append(Ticks.label(p.barrier()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.2f", p.peak())).append("</td></tr>\n");
        }
        html.append("</table><p>Barrier: ").append(Page.esc(ConnectionFolder.BARRIER)).append(". Distance between the solutions: ")
                .append(Ticks.label(connection.distance())).append(".</p>\n");
        if (connection.fit() != null) {
            html.append("<p>The curve's bend was trained on ").append(Page.esc(connection.fit().data())).append(": ")
                    .append(connection.fit().steps()).append(" steps in ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f s", connection.fit().seconds())).append(".</p>\n");
        }
        String why = connection.info().get("curve") instanceof String s ? s : null;
        if (why != null) {
            html.append("<p>").append(Page.esc(why)).append("</p>\n");
        }
        html.append("<div class=\"controls\">metric <select id=\"metric\"></select></div>\n")
                .append("<div class=\"row\"><div id=\"paths\" class=\"plot wide\"></div></div>\n")
                .append("<p><a href=\"").append(ConnectionFolder.PICTURE).append("\">").append(ConnectionFolder.PICTURE)
                .append("</a> \u00b7 <a href=\"").append(ConnectionFolder.JSON).append("\">").append(ConnectionFolder.JSON)
                .append("</a></p>\n<script>const DATA=").append(json.writeValueAsString(data).replace("</", "<\\/")).append(";\n")
                .append(CONNECT_SCRIPT).append("</script></body></html>\n");
        Path page = dir.resolve(RunFolder.PAGE);
        AtomicFiles.writeString(page, html.toString());
        return List.of(page);
    }

    private static final String CONNECT_SCRIPT = """
            (function(){
            const sel=document.getElementById('metric');
            DATA.metrics.forEach(m=>{const o=document.createElement('option');o.value=m;o.textContent=m;sel.appendChild(o);});
            const colors=['#d62728','#1f77b4'];
            function draw(){
              const m=sel.value;
              return Plotly.react('paths',DATA.paths.map((p,k)=>({x:p.t,y:p.metrics[m],mode:'lines+markers',name:p.name,line:{color:colors[k%2],width:2},marker:{size:4}})),
                {title:{text:m+' from '+DATA.first+' (t = 0) to '+DATA.second+' (t = 1)'},xaxis:{title:{text:'t'}},yaxis:{title:{text:m}}},{responsive:true});
            }
            sel.onchange=draw;
            draw().then(()=>{if(!document.title.startsWith('error'))document.title='ok';},e=>{document.title='error: '+e;});
            })();
            """;

    /** Copies plotly.js next to the run folders, once. */
    static void copyPlotly(Path root) throws IOException {
        Path target = root.resolve(PLOTLY_FILE);
        if (Files.isRegularFile(target) && Files.size(target) > 1_000_000) {
            return;
        }
        try (InputStream in = HtmlRenderer.class.getClassLoader().getResourceAsStream(PLOTLY_RESOURCE)) {
            if (in == null) {
                throw new LossSurfaceException("plotly.js " + PLOTLY_VERSION + " is missing from the module path "
                        + "(the WebJar org.webjars.npm:plotly.js-dist). Rebuild with 'mvn package'.");
            }
            AtomicFiles.write(target, in::transferTo);
        }
    }

    String page(RunResult run) throws IOException {
        Surface s = run.surface();
        Provenance p = run.provenance();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metrics", s.metrics());
        List<Object> axes = new ArrayList<>();
        s.axes().forEach(a -> axes.add(Map.of("name", a.name(), "label", a.label(), "values", a.values())));
        data.put("axes", axes);
        Map<String, Object> grids = new LinkedHashMap<>();
        for (String metric : s.metrics()) {
            grids.put(metric, finite(s.grid(metric)));
        }
        data.put("grids", grids);
        data.put("trajectory", s.trajectory());
        data.put("cliffs", s.isPlane() ? Pictures.cliffs(s) : List.of());
        data.put("cliffMetric", Sharpness.RETURN);
        Map<String, Object> history = new LinkedHashMap<>();
        run.model().history().series().forEach((k, v) -> history.put(k, finite(v)));
        data.put("history", history);
        data.put("historyX", run.model().history().xLabel());
        data.put("log", PngOptions.logFor(log, s.grid(s.lossMetric())));
        String who = p.task() + " \u00b7 " + p.trainer() + " \u00b7 " + p.probe();

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>loading</title>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<script>window.onerror=function(m){document.title='error: '+m;};</script>\n")
                .append("<script src=\"../").append(PLOTLY_FILE).append("\"></script>\n")
                .append("<style>").append(Page.STYLE).append("</style></head><body>\n")
                .append("<header><a href=\"../index.html\">all runs</a><h1>").append(Page.esc(who)).append("</h1><p>")
                .append(Page.esc(s.objective())).append("</p></header>\n")
                .append("<div class=\"controls\">metric <select id=\"metric\"></select> <label><input type=\"checkbox\" id=\"log\"> log scale</label></div>\n");
        if (s.isPlane()) {
            html.append("<div class=\"row\"><div id=\"surface\" class=\"plot\"></div><div id=\"contour\" class=\"plot\"></div></div>\n")
                    .append("<div class=\"row\"><div id=\"sliceA\" class=\"plot small\"></div><div id=\"sliceB\" class=\"plot small\"></div></div>\n");
        } else {
            html.append("<div class=\"row\"><div id=\"line\" class=\"plot wide\"></div></div>\n");
        }
        if (!run.model().history().series().isEmpty()) {
            html.append("<div class=\"row\"><div id=\"training\" class=\"plot wide small\"></div></div>\n");
        }
        html.append("<h2>Provenance</h2>\n").append(provenanceTable(run));
        html.append("<script>const DATA=").append(json.writeValueAsString(data).replace("</", "<\\/")).append(";\n")
                .append(Page.SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private String provenanceTable(RunResult run) {
        Provenance p = run.provenance();
        StringBuilder t = new StringBuilder("<table>");
        row(t, "run", run.name());
        row(t, "task / trainer / probe", p.task() + " / " + p.trainer() + " / " + p.probe());
        row(t, "seed", String.valueOf(p.seed()));
        run.model().summary().forEach((k, v) -> row(t, "model: " + k, String.valueOf(v)));
        run.surface().info().forEach((k, v) -> row(t, "probe: " + k, String.valueOf(v)));
        p.settings().forEach((k, v) -> row(t, "setting: " + k, v));
        p.timings().forEach((k, v) -> row(t, "time: " + k, String.format(java.util.Locale.ROOT, "%.2f s", v)));
        p.versions().forEach((k, v) -> row(t, "version: " + k, v));
        p.details().forEach((k, v) -> {
            if (k.equals("git-commit") || k.equals("command")) {
                row(t, k, String.valueOf(v));
            }
        });
        return t.append("</table>\n").toString();
    }

    private static void row(StringBuilder t, String key, String value) {
        t.append("<tr><th>").append(Page.esc(key)).append("</th><td>").append(Page.esc(value)).append("</td></tr>\n");
    }

    /** Rewrites the output folder's index.html: one row per run folder in it. */
    Path writeIndex(Path root) throws IOException {
        List<Path> runs;
        try (Stream<Path> s = Files.list(root)) {
            runs = s.filter(RunFolder::isRun).sorted().toList();
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>losssurface runs</title>")
                .append("<style>").append(Page.STYLE).append("</style></head><body><header><h1>losssurface runs</h1><p>")
                .append(Page.esc(root.toString())).append("</p></header>\n<table class=\"runs\"><tr><th>run</th><th>task</th><th>trainer</th>")
                .append("<th>probe</th><th>objective</th><th>min loss</th><th>pictures</th></tr>\n");
        for (Path run : runs) {
            RunResult r;
            try {
                r = RunFolder.read(run);
            } catch (LossSurfaceException e) {
                continue; // a damaged or unfinished run is left out of the index
            }
            String name = run.getFileName().toString();
            double min = Double.NaN;
            for (double v : r.surface().grid(r.surface().lossMetric())) {
                if (Double.isFinite(v) && (Double.isNaN(min) || v < min)) {
                    min = v;
                }
            }
            html.append("<tr><td><a href=\"").append(Page.esc(name + "/" + RunFolder.PAGE)).append("\">").append(Page.esc(name)).append("</a></td><td>")
                    .append(Page.esc(r.provenance().task())).append("</td><td>").append(Page.esc(r.provenance().trainer()))
                    .append("</td><td>").append(Page.esc(r.provenance().probe())).append("</td><td>")
                    .append(Page.esc(r.surface().objective())).append("</td><td>").append(Ticks.label(min)).append("</td><td>");
            try (Stream<Path> pngs = Files.list(run)) {
                for (Path png : pngs.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                    String f = png.getFileName().toString();
                    html.append("<a href=\"").append(Page.esc(name + "/" + f)).append("\">").append(Page.esc(f.replace(".png", "")))
                            .append("</a> ");
                }
            }
            html.append("</td></tr>\n");
        }
        html.append("</table></body></html>\n");
        Path index = root.resolve(RunFolder.INDEX);
        AtomicFiles.writeString(index, html.toString());
        return index;
    }

    private static List<Double> finite(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.isFinite(v) ? v : null);
        }
        return out;
    }
}
