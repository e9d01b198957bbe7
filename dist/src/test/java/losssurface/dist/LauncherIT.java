package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged runner on the module path, as the launcher starts it, and a plugin jar built
 * outside the reactor: compiled here from source against the api, dropped in a folder, and
 * used through {@code --plugin-path} by the stock runner.
 */
class LauncherIT {


    @TempDir
    static Path tmp;

    static Path pluginDir;

    /** Compiles a one-class task plugin against the runner's module path and jars it. */
    @BeforeAll
    static void buildPluginJar() throws IOException {
        pluginDir = Files.createDirectories(tmp.resolve("plugins"));
        buildPluginJar("toy.plugin", "toy-line", pluginDir.resolve("toy-plugin.jar"));
    }

    static void buildPluginJar(String module, String taskName, Path jarFile) throws IOException {
        Path src = tmp.resolve(module + "-src");
        Path classes = tmp.resolve(module + "-classes");
        Files.createDirectories(src.resolve("toy/plugin"));
        Files.writeString(src.resolve("module-info.java"), """
                module %s {
                    requires losssurface.nn; // a supervised task defines a network
                    provides losssurface.api.TaskProvider with toy.plugin.LineTaskProvider;
                }
                """.formatted(module));
        Files.writeString(src.resolve("toy/plugin/LineTaskProvider.java"), """
                package toy.plugin;

                import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
                import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
                import org.deeplearning4j.nn.conf.layers.OutputLayer;
                import org.nd4j.linalg.activations.Activation;
                import org.nd4j.linalg.dataset.DataSet;
                import org.nd4j.linalg.factory.Nd4j;
                import org.nd4j.linalg.lossfunctions.LossFunctions;
                import losssurface.api.*;
                import losssurface.nn.SupervisedTask;

                /** A third-party task: fit y = 2x - 1 with one linear unit. */
                public final class LineTaskProvider implements TaskProvider {
                    public String name() { return "%s"; }
                    public String description() { return "Fit y = 2x - 1 (a plugin from outside the reactor)"; }
                    public Task create(Settings settings) {
                        int n = Check.positive("toy.samples", settings.integer("toy.samples", 64));
                        return new SupervisedTask() {
                            public MultiLayerConfiguration network(long seed) {
                                return new NeuralNetConfiguration.Builder().seed(seed).list()
                                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                                .nIn(1).nOut(1).activation(Activation.IDENTITY).build())
                                        .build();
                            }
                            public DataSet trainingSet(RunContext c) { return data(n, c.seed()); }
                            public DataSet testSet(RunContext c) { return data(n, c.seed() + 1); }
                            public Hyperparameters recommended() { return new Hyperparameters(20, 16, 0.05); }
                        };
                    }
                    static DataSet data(int n, long seed) {
                        java.util.Random r = new java.util.Random(seed);
                        float[][] x = new float[n][1];
                        float[][] y = new float[n][1];
                        for (int i = 0; i < n; i++) {
                            x[i][0] = (float) r.nextGaussian();
                            y[i][0] = 2 * x[i][0] - 1;
                        }
                        return new DataSet(Nd4j.create(x), Nd4j.create(y));
                    }
                }
                """.formatted(taskName));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-p", Launcher.MODULES.toAbsolutePath().toString(),
                "--release", "17", "-Xlint:-options"));
        args.addAll(files);
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("toy plugin compiles").isZero();

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jarFile);
             JarOutputStream jar = new JarOutputStream(os, manifest);
             Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/losssurface.api.TaskProvider"));
            jar.write("toy.plugin.LineTaskProvider\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void listOnTheModulePathNamesModulesAndJars() throws Exception {
        Launcher.Result r = Launcher.java(tmp, "list");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("module losssurface.plugin.supervised, from ")
                .contains("plugin-supervised-").contains("module losssurface.plugin.probes")
                .doesNotContain("toy-line");
    }

    @Test
    void aDroppedInPluginJarIsListedAndRun() throws Exception {
        Launcher.Result list = Launcher.java(tmp, "list", "--plugin-path", pluginDir.toString());
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.err()).contains("plugin jar toy-plugin.jar (module toy.plugin) provides toy-line");
        assertThat(list.out()).containsPattern("toy-line +Fit y = 2x - 1 \\(a plugin from outside the reactor\\)")
                .contains("module toy.plugin, from " + tmp.relativize(pluginDir.resolve("toy-plugin.jar")));

        Path out = tmp.resolve("runs");
        Launcher.Result run = Launcher.java(tmp, "run", "--plugin-path", pluginDir.toString(), "--task", "toy-line", "--trainer", "supervised",
                "--set", "plane.grid=11", "--set", "toy.samples=32", "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Results: " + out.resolve("toy-line_supervised_random-plane_"));
        assertThat(run.err()).contains("Surface 100% 121/121 points");

        Launcher.Result bad = Launcher.java(tmp, "run", "--plugin-path", pluginDir.toString(), "--task", "toy-line", "--trainer", "supervised",
                "--set", "toy.samples=-1", "--out", out.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("error: toy.samples must be > 0, was -1.");
    }

    @Test
    void pluginsLimitsARunToTheNamedModules() throws Exception {
        Launcher.Result r = Launcher.java(tmp, "list", "--plugins", "probes", "--plugin-path", pluginDir.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("random-plane").doesNotContain("regression").doesNotContain("toy-line");

        // --plugins that leaves out the task's module: the empty list of tasks says what is missing
        Launcher.Result none = Launcher.java(tmp, "run", "--plugins", "probes", "--task", "regression", "--trainer", "supervised");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("Unknown task 'regression': no task is loaded at all")
                .contains("Add the module that provides it to --plugins").doesNotContain("Available: .");

        Launcher.Result unknown = Launcher.java(tmp, "list", "--plugins", "mnst");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown plugin module 'mnst' in --plugins. Available: ")
                .contains("probes").contains("supervised");
    }

    @Test
    void aPluginWhoseNameClashesIsNamedWithBothClasses() throws Exception {
        Path clashDir = Files.createDirectories(tmp.resolve("clash"));
        buildPluginJar("impostor.plugin", "regression", clashDir.resolve("impostor.jar"));
        Launcher.Result r = Launcher.java(tmp, "list", "--plugin-path", clashDir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("Two task plugins are named 'regression': ")
                .contains("losssurface.plugin.supervised.RegressionTaskProvider (module losssurface.plugin.supervised")
                .contains("toy.plugin.LineTaskProvider (module impostor.plugin").doesNotContain("\tat ");
    }

    @Test
    void twoCopiesOfOnePluginJarAreRefusedClearly() throws Exception {
        Path twice = Files.createDirectories(tmp.resolve("twice"));
        Files.copy(pluginDir.resolve("toy-plugin.jar"), twice.resolve("a.jar"));
        Files.copy(pluginDir.resolve("toy-plugin.jar"), twice.resolve("b.jar"));
        Launcher.Result r = Launcher.java(tmp, "list", "--plugin-path", twice.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("Cannot read the plugin jars in " + twice).doesNotContain("\tat ");
    }

    @Test
    void aFolderThatIsNotThereIsAUsageError() throws Exception {
        Launcher.Result r = Launcher.java(tmp, "list", "--plugin-path", tmp.resolve("nope").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--plugin-path " + tmp.resolve("nope") + " is not a folder");
    }
}
