package losssurface.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.SettingsException;

class PngRendererTest {

    @TempDir
    Path dir;

    /** Where pictures are also kept for a person to look at, when the property is set. */
    static Path keep(Path file) throws Exception {
        String to = System.getProperty("losssurface.viz.examples");
        if (to != null) {
            Files.createDirectories(Path.of(to));
            Files.copy(file, Path.of(to).resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    static BufferedImage read(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("%s decodes", file).isNotNull();
        return image;
    }

    /** Variance of the pixel luminance: a blank picture has none. */
    static double variance(BufferedImage image) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.3 * (rgb >> 16 & 0xff) + 0.59 * (rgb >> 8 & 0xff) + 0.11 * (rgb & 0xff);
                sum += l;
                sq += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    static List<Path> render(RunResult run, Path dir, Map<String, String> settings) throws Exception {
        return new PngRendererProvider().create(Settings.of(settings)).render(run, dir);
    }

    @Test
    void aPlaneGetsASurfaceAndAContourPicturePerMetricOfTheRequestedSize() throws Exception {
        List<Path> files = render(Runs.bowl(41, 31, 2, true), dir, Map.of("png.width", "800", "png.height", "600"));
        assertThat(files.stream().map(p -> p.getFileName().toString()).toList()).containsExactly(
                "loss-surface.png", "loss-contour.png", "accuracy-surface.png", "accuracy-contour.png", "training.png");
        for (Path f : files) {
            BufferedImage image = read(keep(f));
            if (!f.getFileName().toString().equals("training.png")) {
                assertThat(image.getWidth()).isEqualTo(800);
                assertThat(image.getHeight()).isEqualTo(600);
            }
            assertThat(variance(image)).as("%s is not blank", f).isGreaterThan(100);
        }
    }

    @Test
    void gapsAreDrawnAndCountedNeverACrash() throws Exception {
        List<Path> files = render(Runs.bowl(21, 21, 0.5, false), dir.resolve("nan"), Map.of());
        assertThat(files).hasSize(5);
        BufferedImage contour = read(keep(dir.resolve("nan").resolve("loss-contour.png")));
        assertThat(variance(contour)).isGreaterThan(100);
        // the right quarter of the map (alpha > 0.5) is hatched light grey, not viridis
        Files.copy(dir.resolve("nan").resolve("loss-contour.png"), dir.resolve("nan-loss-contour.png"));
        keep(dir.resolve("nan-loss-contour.png"));
    }

    @Test
    void logScaleClipAndLevels() throws Exception {
        List<Path> files = render(Runs.bowl(31, 31, 2, false), dir, Map.of("png.log", "true", "png.vmax", "2", "png.levels", "8"));
        assertThat(files).isNotEmpty();
        assertThatThrownBy(() -> render(Runs.bowl(5, 5, 2, false), dir, Map.of("png.levels", "1")))
                .isInstanceOf(SettingsException.class).hasMessage("png.levels must be between 2 and 200, was 1.");
        assertThatThrownBy(() -> render(Runs.bowl(5, 5, 2, false), dir, Map.of("png.log", "true", "png.vmax", "-1")))
                .hasMessage("png.vmax must be > 0 with png.log=true, was -1.0.");
    }

    @Test
    void aLineIsDrawnWithItsSecondMetricOnASecondAxis() throws Exception {
        List<Path> files = render(Runs.line(101), dir, Map.of());
        assertThat(files.get(0).getFileName().toString()).isEqualTo("line.png");
        assertThat(variance(read(keep(files.get(0))))).isGreaterThan(100);
    }

    @Test
    void marchingSquaresTraceTheCircleOfABowl() {
        double[] xs = Runs.linspace(-1, 1, 81);
        double[] values = new double[81 * 81];
        for (int i = 0; i < 81; i++) {
            for (int j = 0; j < 81; j++) {
                values[i * 81 + j] = xs[i] * xs[i] + xs[j] * xs[j];
            }
        }
        List<Contours.Segment> segments = Contours.at(xs, xs, values, 0.25);
        assertThat(segments).hasSizeGreaterThan(50);
        double length = 0;
        for (Contours.Segment s : segments) {
            assertThat(Math.hypot(s.x1(), s.y1())).isCloseTo(0.5, org.assertj.core.api.Assertions.within(2e-3));
            length += s.length();
        }
        assertThat(length).isCloseTo(Math.PI, org.assertj.core.api.Assertions.within(0.01));
        assertThat(Contours.at(xs, xs, values, 5)).isEmpty();
    }

    /** Pixels of {@code image} of the colour the cliffs are marked in. */
    static long marked(BufferedImage image) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == 0xc01010) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void theCliffsAreMarkedOnTheReturnsContourMapNotDrawnAsAMapOfTheirOwn() throws Exception {
        RunResult bowl = Runs.bowl(21, 21, 2, false);
        losssurface.api.Surface base = bowl.surface();
        double[] ret = base.grid("accuracy");
        for (int k = 0; k < ret.length; k++) {
            ret[k] = ret[k] > 0.6 ? 500 : 20;
        }
        losssurface.api.Surface plain = new losssurface.api.Surface("return", base.axes(), Map.of("return", ret), base.centre(),
                base.directions(), List.of(), Map.of());
        losssurface.api.Surface marked = plain.withGrid(losssurface.api.Cliffs.METRIC, losssurface.api.Cliffs.of(plain, "return").grid());
        List<Path> files = render(new RunResult("r", marked, bowl.model(), bowl.provenance()), dir, Map.of());
        assertThat(files.stream().map(p -> p.getFileName().toString()).toList())
                .containsExactly("return-surface.png", "return-contour.png", "training.png");
        long crosses = marked(read(keep(dir.resolve("return-contour.png"))));
        Path without = Files.createDirectories(dir.resolve("without"));
        render(new RunResult("r", plain, bowl.model(), bowl.provenance()), without, Map.of());
        assertThat(crosses).as("red crosses mark the cliffs").isGreaterThan(500);
        assertThat(marked(read(without.resolve("return-contour.png")))).as("none without cliffs").isZero();
    }
}
