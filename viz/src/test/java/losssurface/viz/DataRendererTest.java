package losssurface.viz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import losssurface.api.NamedArray;
import losssurface.api.RendererProvider;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.io.Npy;

class DataRendererTest {

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void serviceLoaderFindsTheRenderersOfThisModule() {
        assertThat(ServiceLoader.load(RendererProvider.class).stream().map(p -> p.get().name()).sorted().toList())
                .containsExactly("data", "html", "png", "vtk");
    }

    @Test
    void theNumbersComeFirstAndPagesLast() {
        assertThat(new DataRendererProvider().role()).isEqualTo(RendererProvider.Role.NUMBERS);
        assertThat(new PngRendererProvider().role()).isEqualTo(RendererProvider.Role.PICTURES);
        assertThat(new HtmlRendererProvider().role()).isEqualTo(RendererProvider.Role.PAGES);
    }

    @Test
    void thePageStartsOnTheScaleThePicturesUse() throws Exception {
        RunResult run = Runs.bowl(4, 4, 9, false); // losses from 1/3 to 3, all positive: linear unless asked
        HtmlRenderer auto = (HtmlRenderer) new HtmlRendererProvider().create(Settings.empty());
        HtmlRenderer log = (HtmlRenderer) new HtmlRendererProvider().create(Settings.parse(List.of("png.log=true")));
        assertThat(auto.page(run)).contains("\"log\":false");
        assertThat(log.page(run)).contains("\"log\":true");
    }

    @Test
    void writesEveryFileWithTheIJConvention() throws Exception {
        RunResult run = Runs.bowl(5, 3, 0.6, true);
        List<Path> files = new DataRendererProvider().create(Settings.empty()).render(run, dir);
        assertThat(files.stream().map(p -> p.getFileName().toString()).toList()).contains(
                "alphas.npy", "betas.npy", "loss.npy", "accuracy.npy", "theta.npy", "direction-1.npy", "direction-2.npy",
                "layout.json", "checkpoints.npy", "history.json", "transitions-actions.npy", "surface.json", "provenance.json");
        assertThat(dir.toFile().list()).noneMatch(n -> n.endsWith(".part"));

        NamedArray loss = Npy.read(dir.resolve("loss.npy"));
        assertThat(loss.shape()).containsExactly(5, 3);
        double[] l = (double[]) loss.values();
        double[] as = (double[]) Npy.read(dir.resolve("alphas.npy")).values();
        double[] bs = (double[]) Npy.read(dir.resolve("betas.npy")).values();
        // loss[i, j] is at alphas[i], betas[j]
        assertThat(l[1 * 3 + 2]).isEqualTo(as[1] * as[1] + 2 * bs[2] * bs[2]);
        assertThat(l[4 * 3]).isNaN();
        assertThat(Npy.read(dir.resolve("theta.npy")).values()).isEqualTo(new float[] {1, 2, 3, 4, 5, 6});
        assertThat(Npy.read(dir.resolve("checkpoints.npy")).shape()).containsExactly(2, 6);

        JsonNode surface = json.readTree(dir.resolve("surface.json").toFile());
        assertThat(surface.get("grids").get("loss").get(1).get(2).asDouble()).isEqualTo(l[5]);
        assertThat(surface.get("grids").get("loss").get(4).get(0).isNull()).isTrue();
        assertThat(surface.get("non-finite-cells").get("loss").asInt()).isEqualTo(3);
        assertThat(surface.get("axes").get(0).get("name").asText()).isEqualTo("alpha");
        assertThat(surface.get("info").get("direction-cosine").asDouble()).isEqualTo(0.01);
        assertThat(surface.get("trajectory")).hasSize(11);

        JsonNode layout = json.readTree(dir.resolve("layout.json").toFile());
        assertThat(layout.get(0).get("name").asText()).isEqualTo("0_W");
        assertThat(layout.get(0).get("order").asText()).isEqualTo("f");
        assertThat(layout.get(1).get("kind").asText()).isEqualTo("bias");
        assertThat(layout.get(1).get("offset").asInt()).isEqualTo(4);

        JsonNode provenance = json.readTree(dir.resolve("provenance.json").toFile());
        assertThat(provenance.get("seed").asLong()).isEqualTo(42);
        assertThat(provenance.get("git-commit").asText()).isEqualTo("abc");
        assertThat(provenance.get("settings").get("plane.grid").asText()).isEqualTo("5");
        assertThat(provenance.get("timings-seconds").get("train").asDouble()).isEqualTo(1.5);
        assertThat(provenance.get("files").toString()).contains("loss.npy", "provenance.json");
    }

    @Test
    void aLineHasOneAxisAndOneDimensionalGrids() throws Exception {
        new DataRendererProvider().create(Settings.empty()).render(Runs.line(7), dir);
        assertThat(Npy.read(dir.resolve("loss.npy")).shape()).containsExactly(7);
        assertThat(Files.exists(dir.resolve("betas.npy"))).isFalse();
        assertThat(Files.exists(dir.resolve("direction-2.npy"))).isFalse();
    }

    @Test
    void numpyLoadsTheFilesAsDocumented() throws Exception {
        Process check = new ProcessBuilder("python3", "-c", "import numpy").start();
        Assumptions.assumeTrue(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0, "python3 with numpy is not installed");
        new DataRendererProvider().create(Settings.empty()).render(Runs.bowl(5, 3, 2, false), dir);
        Process p = new ProcessBuilder("python3", "-c", String.join("\n",
                "import numpy as np",
                "a, b, l = np.load('alphas.npy'), np.load('betas.npy'), np.load('loss.npy')",
                "t, d1 = np.load('theta.npy'), np.load('direction-1.npy')",
                "assert l.shape == (5, 3) and l.dtype == np.float64, (l.shape, l.dtype)",
                "assert t.dtype == np.float32 and d1.shape == (6,)",
                "assert abs(l[1, 2] - (a[1] ** 2 + 2 * b[2] ** 2)) < 1e-15",
                "print('ok')")).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.trim()).isEqualTo("ok");
    }
}
