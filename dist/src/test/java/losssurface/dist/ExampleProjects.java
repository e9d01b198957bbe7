package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
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

/** The plugin projects in {@code examples/}, built as their own poms build them: against the api alone. */
final class ExampleProjects {

    /** The examples folder, beside the reactor's modules. */
    static final Path ROOT = Path.of(System.getProperty("losssurface.examples", "../examples"));

    private ExampleProjects() {
    }

    /** Compiles the example's main sources against the api module and jars them with their resources. */
    static void buildJar(Path example, Path jarFile, Path tmp) throws IOException {
        Path api;
        try (Stream<Path> s = Files.list(Launcher.MODULES)) {
            api = s.filter(p -> p.getFileName().toString().startsWith("api-")).findFirst().orElseThrow();
        }
        Path classes = Files.createTempDirectory(tmp, "classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-p", api.toAbsolutePath().toString(),
                "--release", "17", "-Xlint:-options"));
        try (Stream<Path> s = Files.walk(example.resolve("src/main/java"))) {
            s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("the example compiles against the api alone").isZero();

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jarFile); JarOutputStream jar = new JarOutputStream(os, manifest)) {
            for (Path root : List.of(classes, example.resolve("src/main/resources"))) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                        jar.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
                        jar.write(Files.readAllBytes(p));
                        jar.closeEntry();
                    }
                }
            }
        }
    }
}
