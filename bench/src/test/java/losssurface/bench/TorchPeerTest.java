package losssurface.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.NamedArray;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Surface;
import losssurface.nn.dense.DenseNet;

/**
 * The Java side of the PyTorch peer, with stand-in interpreters (shell scripts) in place of
 * python3, so CI needs no Python: the job folder it writes, the JSON it reads, and what it says
 * when python3 or PyTorch is missing. The script itself is checked against numpy by hand (see
 * bench/peers/README.md).
 */
class TorchPeerTest {

    @TempDir
    Path tmp;

    /** A 3-2-2 network: relu hidden layer, softmax output. */
    static DenseNet shape() {
        return DenseNet.of(new ParameterLayout(List.of(ParameterBlock.denseWeights(0, 3, 2, 0, "relu"),
                ParameterBlock.bias(0, 2, 6, "relu"), ParameterBlock.denseWeights(1, 2, 2, 8, "softmax"),
                ParameterBlock.bias(1, 2, 12, "softmax"))));
    }

    static Surface surface() {
        float[] theta = new float[14];
        double[] grid = new double[4];
        return new Surface("test", List.of(new Axis("alpha", "a", new double[] {-1, 1}), new Axis("beta", "b", new double[] {-1, 1})),
                Map.of("loss", grid), theta, List.of(new Direction("direction-1", new float[14]),
                new Direction("direction-2", new float[14])), List.of(), Map.of());
    }

    /** A stand-in for python3: runs {@code body} with $2 the job folder. */
    Path fakePython(String body) throws IOException {
        Path p = tmp.resolve("python-" + Math.abs(body.hashCode()));
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    Optional<TorchPeer.Result> runSurface(TorchPeer peer) {
        return peer.surface("mnist", "cross-entropy", shape(), surface(),
                Map.of("x", new NamedArray(new int[] {1, 3}, new float[] {1, 2, 3}), "y", new NamedArray(new int[] {1}, new int[] {1})),
                1.5);
    }

    @Test
    void theJobFolderHoldsTheRunFolderFilesAndTheResultIsRead() throws IOException {
        Path seen = tmp.resolve("seen.txt");
        Path python = fakePython("ls \"$2\" > " + seen + "; cat \"$2/job.json\" >> " + seen
                + "; echo 'warming up' >&2; echo '{\"kind\":\"surface\",\"points\":40,\"seconds\":2.5,\"points_per_second\":16.0,"
                + "\"centre\":0.25,\"torch\":\"2.14.1\",\"threads\":2}'");
        TorchPeer peer = new TorchPeer(Optional.of(tmp.resolve("torch_peer.py")), python.toString(), 2);
        TorchPeer.Result r = runSurface(peer).orElseThrow();
        assertThat(r.perSecond()).hasValue(16.0);
        assertThat(r.centre()).hasValue(0.25);
        assertThat(r.points()).isEqualTo(40);
        assertThat(r.torch()).isEqualTo("2.14.1");
        assertThat(peer.notes()).isEmpty();
        assertThat(seen).content().contains("theta.npy", "direction-1.npy", "direction-2.npy", "x.npy", "y.npy", "job.json")
                .contains("\"objective\": \"cross-entropy\"", "\"threads\": 2", "\"budget_seconds\": 1.5", "\"points\": 4",
                        "\"layers\": [{\"in\": 3, \"out\": 2, \"activation\": \"relu\"}, {\"in\": 2, \"out\": 2, \"activation\": \"softmax\"}]");
    }

    /** A network the peer defines (bench/peers/mnist_cnn.py) is named, its parameters listed by name and shape. */
    @Test
    void aNamedModelsJobListsItsParameters() throws IOException {
        Path seen = tmp.resolve("seen-named.txt");
        Path python = fakePython("cat \"$2/job.json\" > " + seen + "; echo '{\"kind\":\"surface\",\"points\":3,\"seconds\":1.0,"
                + "\"points_per_second\":3.0,\"centre\":0.1,\"torch\":\"2.14.1\",\"threads\":2}'");
        TorchPeer peer = new TorchPeer(Optional.of(tmp.resolve("torch_peer.py")), python.toString(), 2);
        ParameterLayout layout = new ParameterLayout(List.of(
                new ParameterBlock("conv1.weight", 0, ParameterBlock.Kind.WEIGHT, new int[] {2, 1, 2, 3}, 0, 'c', 0, ""),
                new ParameterBlock("conv1.bias", 1, ParameterBlock.Kind.BIAS, new int[] {2}, 12, 'c', 0, "")));
        assertThat(peer.surface("onnx-cnn", "mnist-cnn", layout, surface(), Map.of(), 2.0)).isPresent();
        assertThat(seen).content().contains("\"model\": \"mnist-cnn\"", "\"objective\": \"cross-entropy\"",
                "\"parameters\": [{\"name\": \"conv1.weight\", \"shape\": [2, 1, 2, 3]}, {\"name\": \"conv1.bias\", \"shape\": [2]}]")
                .doesNotContain("\"layers\"");
    }

    @Test
    void missingPyTorchIsSaidOnceWithTheInstallCommand() throws IOException {
        Path python = fakePython("echo '{\"error\": \"PyTorch is not installed\"}'; exit 3");
        TorchPeer peer = new TorchPeer(Optional.of(tmp.resolve("torch_peer.py")), python.toString(), 2);
        assertThat(runSurface(peer)).isEmpty();
        assertThat(runSurface(peer)).isEmpty();
        assertThat(peer.available()).isFalse();
        assertThat(peer.notes()).singleElement().asString().contains("PyTorch is not installed")
                .contains("pip install torch").contains("Our figures are shown alone");
    }

    @Test
    void missingPythonOrScriptAndAFailingJobAreNamed() throws IOException {
        TorchPeer noPython = new TorchPeer(Optional.of(tmp.resolve("torch_peer.py")), tmp.resolve("no-python").toString(), 2);
        assertThat(runSurface(noPython)).isEmpty();
        assertThat(noPython.notes()).singleElement().asString().contains("could not be started").contains("pip install torch");

        TorchPeer noScript = new TorchPeer(Optional.empty(), "python3", 2);
        assertThat(noScript.available()).isFalse();
        assertThat(noScript.notes()).singleElement().asString().contains("bench/peers/torch_peer.py was not found");

        Path failing = fakePython("echo '{\"error\": \"x.npy has 3 features per example but the first layer takes 4 inputs.\"}'; exit 2");
        TorchPeer peer = new TorchPeer(Optional.of(tmp.resolve("torch_peer.py")), failing.toString(), 2);
        assertThat(runSurface(peer)).isEmpty();
        assertThat(peer.available()).as("a failed job does not rule out the next").isTrue();
        assertThat(peer.notes()).singleElement().asString()
                .isEqualTo("the PyTorch peer of mnist failed (exit 2): x.npy has 3 features per example but the first layer takes 4 inputs.");
    }

    @Test
    void flatJsonFieldsAreRead() {
        String line = "{\"kind\":\"train\",\"seconds\":1.5e-1,\"centre\":null,\"torch\":\"2.1 \\\"cpu\\\"\",\"mean_loss\":-0.25}";
        assertThat(TorchPeer.number(line, "seconds")).hasValue(0.15);
        assertThat(TorchPeer.number(line, "mean_loss")).hasValue(-0.25);
        assertThat(TorchPeer.number(line, "centre")).isEmpty();
        assertThat(TorchPeer.text(line, "torch")).hasValue("2.1 \"cpu\"");
        assertThat(TorchPeer.text(line, "error")).isEmpty();
    }
}
