package losssurface.viz;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Comparison;
import losssurface.api.Surface;
import losssurface.api.RunResult;
import losssurface.api.Connection;
import losssurface.api.Cliffs;
import losssurface.api.Settings;
import losssurface.runs.RunFolder;

/**
 * The HTML pages in a real browser: Debian's headless Chromium loads them from disk (no network),
 * the page reports 'ok' in its title once every plot is drawn (or 'error: …' from window.onerror),
 * and a screenshot of the WebGL surface is not blank. Skipped where Chromium is not installed,
 * except in CI (CI=true), where a missing browser fails the test.
 */
class HtmlRendererBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    static List<String> chromium(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--enable-unsafe-swiftshader", "--use-angle=swiftshader", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=20000"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String run(List<String> cmd, Path cwd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return out;
    }

    static void requireBrowser() {
        boolean ci = "true".equals(System.getenv("CI"));
        if (ci) {
            assertThat(CHROMIUM).as("CI installs Debian's chromium (.ci/run)").exists();
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
    }

    void checkPage(Path page, String name) throws Exception {
        String dom = run(chromium(tmp.resolve("profile-dom-" + name), "--dump-dom", page.toUri().toString()), tmp);
        assertThat(dom).as("the page drew every plot without a JavaScript error").contains("<title>ok</title>");
        Path shot = tmp.resolve(name + ".png");
        run(chromium(tmp.resolve("profile-shot-" + name), "--window-size=1400,1100", "--screenshot=" + shot, page.toUri().toString()), tmp);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image).isNotNull();
        PngRendererTest.keep(shot);
        // the 3D surface sits in the upper left quarter: it must not be blank
        BufferedImage surface = image.getSubimage(40, 120, 600, 420);
        assertThat(PngRendererTest.variance(surface)).as("the WebGL surface is drawn").isGreaterThan(200);
    }

    @Test
    void theRunPageLoadsWithoutErrorsAndDrawsTheSurface() throws Exception {
        requireBrowser();
        Path run = Files.createDirectories(tmp.resolve("out").resolve("toy_run"));
        new DataRendererProvider().create(Settings.empty()).render(Runs.bowl(31, 31, 0.7, true), run);
        List<Path> files = new HtmlRendererProvider().create(Settings.empty()).render(Runs.bowl(31, 31, 0.7, true), run);
        assertThat(files).contains(run.resolve("index.html"), tmp.resolve("out").resolve("index.html"));
        assertThat(tmp.resolve("out").resolve(HtmlRenderer.PLOTLY_FILE)).exists();
        assertThat(Files.readString(tmp.resolve("out").resolve("index.html"))).contains("toy_run/index.html");
        assertThat(Files.readString(run.resolve("index.html"))).doesNotContain("http://", "https://cdn");
        checkPage(run.resolve("index.html"), "run-page");
    }

    @Test
    void theComparisonPageLoadsWithoutErrors() throws Exception {
        requireBrowser();
        Path out = tmp.resolve("out");
        for (String name : List.of("a_run", "b_run")) {
            Path run = Files.createDirectories(out.resolve(name));
            new DataRendererProvider().create(Settings.empty()).render(Runs.bowl(21, 21, 2, false), run);
        }
        Comparison comparison = new Comparison(List.of(RunFolder.read(out.resolve("a_run")), RunFolder.read(out.resolve("b_run"))));
        assertThat(comparison.differences()).isEmpty();
        ComparisonTest.compare(comparison, out.resolve("cmp"));
        assertThat(out.resolve("cmp").resolve("compare-loss.png")).exists();
        checkPage(out.resolve("cmp").resolve("compare.html"), "compare-page");
    }

    @Test
    void aReturnPageMarksItsCliffsAndAConnectionPageDrawsBothPaths() throws Exception {
        requireBrowser();
        Path out = tmp.resolve("out");
        // a return surface with its cliffs: the bowl's accuracy as a return, its cliff grid from the criterion
        RunResult bowl = Runs.bowl(21, 21, 2, false);
        Surface base = bowl.surface();
        double[] ret = base.grid("accuracy");
        for (int k = 0; k < ret.length; k++) {
            ret[k] = ret[k] > 0.6 ? 500 : 20;
        }
        Surface returns = new Surface("return", base.axes(), Map.of("return", ret), base.centre(), base.directions(), List.of(), Map.of());
        Cliffs.Found cliffs = Cliffs.of(returns, "return");
        assertThat(cliffs.count()).isPositive();
        returns = returns.withGrid(Cliffs.METRIC, cliffs.grid());
        Path run = Files.createDirectories(out.resolve("return_run"));
        RunResult result = new RunResult("return_run", returns, bowl.model(), bowl.provenance());
        new DataRendererProvider().create(Settings.empty()).render(result, run);
        new HtmlRendererProvider().create(Settings.empty()).render(result, run);
        assertThat(Files.readString(run.resolve("index.html"))).contains("\"cliffs\":[[").contains("cliff edge");
        checkPage(run.resolve("index.html"), "return-page");

        double[] t = {0, 0.25, 0.5, 0.75, 1};
        Connection.Result connection = new Connection.Result("a", "b", "bowl", new float[] {0, 0}, new float[] {1, 1},
                new Connection.Path(Connection.LINE, t, Map.of("loss", new double[] {0.1, 0.6, 1.2, 0.5, 0.12})),
                new Connection.Path(Connection.BEZIER, t, Map.of("loss", new double[] {0.1, 0.13, 0.15, 0.12, 0.12})), null,
                Math.sqrt(2), Map.of());
        Path dir = Files.createDirectories(out.resolve("connect"));
        List<Path> files = new HtmlRendererProvider().create(Settings.empty()).connect(connection, dir);
        assertThat(files).containsExactly(dir.resolve("index.html"));
        assertThat(Files.readString(dir.resolve("index.html"))).contains("<td>straight line</td><td>1.09</td>");
        String dom = run(chromium(tmp.resolve("profile-dom-connect"), "--dump-dom", dir.resolve("index.html").toUri().toString()), tmp);
        assertThat(dom).as("the page drew its plot without a JavaScript error").contains("<title>ok</title>");
        Path shot = tmp.resolve("connect-page.png");
        run(chromium(tmp.resolve("profile-shot-connect"), "--window-size=1400,1100", "--screenshot=" + shot,
                dir.resolve("index.html").toUri().toString()), tmp);
        PngRendererTest.keep(shot);
        assertThat(PngRendererTest.variance(ImageIO.read(shot.toFile()).getSubimage(40, 250, 1300, 500))).as("the paths are drawn")
                .isGreaterThan(50);
    }
}
