package losssurface.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.Surface;
import losssurface.nn.NetworkObjective;

/**
 * The README's programmatic examples, compiled and run. The code between the EXAMPLE markers is
 * what the README shows; the test checks the README still shows exactly that.
 */
class ReadmeExampleTest {

    @TempDir
    Path out;

    @Test
    void yourOwnNetworkAndIteratorInTenLines() throws Exception {
        MultiLayerNetwork myNet = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        myNet.init();
        DataSetIterator myIterator = new ListDataSetIterator<>(ProbeCommandTest.blobs(60, 3).asList(), 16);
        Path dir = out.resolve("my-surface");

        // EXAMPLE network
        LossSurfaces surfaces = LossSurfaces.create();
        Objective objective = NetworkObjective.of(myNet, myIterator, "my validation set");
        float[] theta = myNet.params().toFloatVector();
        Surface surface = surfaces.probe("random-plane", Map.of("plane.grid", "21"), objective, theta);
        surfaces.render(surface, dir);   // loss.npy, surface.json, pictures, index.html...
        // END

        assertThat(surface.grid("loss")).hasSize(21 * 21);
        assertThat(surface.value("accuracy", 10, 10)).isBetween(0.0, 1.0);
        assertThat(dir.resolve("loss.npy")).exists();
        assertThat(dir.resolve("surface.json")).content().contains("my validation set");
        assertReadmeShows("network");
    }

    @Test
    void anyFunctionOfAParameterVector() throws Exception {
        LossSurfaces surfaces = LossSurfaces.create();

        // EXAMPLE function
        Objective rosenbrock = Objective.of(ParameterLayout.flat(2), "loss",
                p -> Math.pow(1 - p[0], 2) + 100 * Math.pow(p[1] - p[0] * p[0], 2));
        Surface valley = surfaces.probe("random-plane",
                Map.of("plane.grid", "41", "plane.norm", "none"), rosenbrock, new float[] {1, 1});
        // END

        assertThat(valley.value("loss", 20, 20)).isEqualTo(0.0);
        assertThat(java.util.Arrays.stream(valley.grid("loss")).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertReadmeShows("function");
    }

    /** The README holds the example block of this file, line for line (indentation aside). */
    static void assertReadmeShows(String name) throws Exception {
        Path source = Path.of("src/test/java/losssurface/runner/ReadmeExampleTest.java");
        List<String> lines = Files.readAllLines(source);
        int start = lines.indexOf("        // EXAMPLE " + name);
        int end = lines.subList(start, lines.size()).indexOf("        // END") + start;
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : lines.subList(start + 1, end)) {
            assertThat(readme).as("README.md shows the '%s' example line", name).contains(line.strip());
        }
    }
}
