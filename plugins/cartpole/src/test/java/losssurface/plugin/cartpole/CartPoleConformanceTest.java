package losssurface.plugin.cartpole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import losssurface.api.Environment;

/**
 * Replays every row of every CSV file of reference CartPole-v1 transitions (format in
 * {@code shared/conformance/cartpole/README.md}): from the row's state, elapsed steps and action,
 * the next state must match to 1e-12 and reward, terminated and truncated exactly.
 *
 * <p>The folder is the system property {@value #PROPERTY} when set, else
 * {@code shared/conformance/cartpole} found by walking up from the working folder (the repository
 * sits beside {@code shared/}, or contains it).
 */
class CartPoleConformanceTest {

    static final String PROPERTY = "losssurface.cartpole.conformance";
    static final String[] HEADER = {"episode", "step", "x", "x_dot", "theta", "theta_dot", "action", "next_x",
        "next_x_dot", "next_theta", "next_theta_dot", "reward", "terminated", "truncated"};

    static Path folder() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            if (!Files.isDirectory(p)) {
                fail("The conformance folder " + p.toAbsolutePath() + " (system property " + PROPERTY + ") does not exist.");
            }
            return p;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("conformance").resolve("cartpole");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return fail("No shared/conformance/cartpole folder above " + start + ". Put the reference files there "
                + "(beside the repository) or point -D" + PROPERTY + "=<folder> at them.");
    }

    @Test
    void everyReferenceTransitionIsReproduced() throws IOException {
        assertThat(replayFolder(folder())).isGreaterThan(1000);
    }

    @Test
    void aMissingOrEmptyFolderOrFileFailsRatherThanPassingOnNothing(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> replayFolder(tmp)).isInstanceOf(AssertionError.class).hasMessageContaining("CSV files in");
        Path empty = Files.writeString(tmp.resolve("empty.csv"), String.join(",", HEADER) + "\n");
        assertThatThrownBy(() -> replayFolder(tmp)).isInstanceOf(AssertionError.class).hasMessageContaining("has no rows");
        Files.writeString(empty, String.join(",", HEADER) + "\n0,0,0.0,0.0,0.0,0.0,1,0.0,0.0,0.0,0.0,1.0,0,0\n");
        assertThatThrownBy(() -> replayFolder(tmp)).isInstanceOf(AssertionError.class).hasMessageContaining("next_x_dot");
        String old = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, tmp.resolve("missing").toString());
        try {
            assertThatThrownBy(CartPoleConformanceTest::folder).isInstanceOf(AssertionError.class).hasMessageContaining("does not exist");
        } finally {
            if (old == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, old);
            }
        }
    }

    /** Replays every CSV file in {@code folder}; returns the number of rows. */
    static int replayFolder(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        assertThat(files).as("CSV files in " + folder).isNotEmpty();
        int total = 0;
        for (Path file : files) {
            total += replay(file);
        }
        return total;
    }

    /** Replays one file; returns its row count. */
    static int replay(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).as(file + " has a header").isNotEmpty();
        assertThat(lines.get(0).trim().split(",")).as("header of " + file).containsExactly(HEADER);
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList());
        assertThat(rows).as(file + " has no rows").isNotEmpty();
        CartPole env = new CartPole();
        int terminated = 0;
        int truncated = 0;
        for (int r = 0; r < rows.size(); r++) {
            String[] f = rows.get(r).split(",");
            String where = file.getFileName() + " row " + (r + 2) + " (episode " + f[0] + ", step " + f[1] + ")";
            assertThat(f).as(where).hasSize(HEADER.length);
            int step = Integer.parseInt(f[1]);
            double[] state = {d(f[2]), d(f[3]), d(f[4]), d(f[5])};
            env.setState(state, step);
            Environment.Step result = env.step(Integer.parseInt(f[6]));
            double[] next = env.state();
            for (int i = 0; i < 4; i++) {
                assertThat(Math.abs(next[i] - d(f[7 + i]))).as(where + " " + HEADER[7 + i] + " " + next[i] + " vs " + f[7 + i])
                        .isLessThanOrEqualTo(1e-12);
                assertThat(result.observation()[i]).as(where + " observation " + i).isEqualTo((float) next[i]);
            }
            assertThat(result.reward()).as(where + " reward").isEqualTo(d(f[11]));
            assertThat(result.terminated()).as(where + " terminated").isEqualTo(flag(f[12]));
            assertThat(result.truncated()).as(where + " truncated").isEqualTo(flag(f[13]));
            terminated += result.terminated() ? 1 : 0;
            truncated += result.truncated() ? 1 : 0;
        }
        // the files end their episodes one way or the other
        assertThat(terminated + truncated).as(file + " episodes that ended").isGreaterThan(0);
        return rows.size();
    }

    private static double d(String s) {
        return Double.parseDouble(s.trim());
    }

    private static boolean flag(String s) {
        String v = s.trim();
        return switch (v) {
            case "1", "1.0", "True", "true" -> true;
            case "0", "0.0", "False", "false" -> false;
            default -> throw new AssertionError("not a flag: " + s);
        };
    }

    @Test
    void theBundledFilesHoldTheExpectedEpisodes() throws IOException {
        Path folder = folder();
        // when pointed elsewhere, only the replay above applies
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        List<String> random = Files.readAllLines(folder.resolve("random-policy.csv"));
        List<String> balancing = Files.readAllLines(folder.resolve("balancing-policy.csv"));
        assertThat(random.stream().skip(1).filter(l -> l.endsWith(",1,0")).count()).isEqualTo(12);
        assertThat(balancing.stream().skip(1).filter(l -> l.endsWith(",0,1")).count()).isEqualTo(3);
    }
}
