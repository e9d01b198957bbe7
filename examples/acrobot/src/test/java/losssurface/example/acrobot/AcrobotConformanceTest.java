package losssurface.example.acrobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Environment;

/**
 * Replays every row of every CSV file of reference Acrobot-v1 transitions (format in
 * {@code shared/conformance/acrobot/README.md}): from the row's state, elapsed steps (its
 * {@code step} column) and action, the next state must match to 1e-12 (absolute), the observation
 * to 1e-6, and reward, terminated and truncated exactly.
 *
 * <p>The folder is the system property {@value #PROPERTY} when set, else
 * {@code shared/conformance/acrobot} found by walking up from the working folder. A missing folder,
 * a folder without CSV files or a file without rows fails the test; it never passes on nothing.
 */
class AcrobotConformanceTest {

    static final String PROPERTY = "losssurface.acrobot.conformance";
    static final String[] HEADER = {"episode", "step", "theta1", "theta2", "dtheta1", "dtheta2", "action",
        "next_theta1", "next_theta2", "next_dtheta1", "next_dtheta2", "obs0", "obs1", "obs2", "obs3", "obs4", "obs5",
        "reward", "terminated", "truncated"};
    static final double STATE_TOLERANCE = 1e-12;
    static final double OBSERVATION_TOLERANCE = 1e-6;

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
            Path candidate = dir.resolve("shared").resolve("conformance").resolve("acrobot");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return fail("No shared/conformance/acrobot folder above " + start + ". Put the reference files there "
                + "(beside the repository) or point -D" + PROPERTY + "=<folder> at them.");
    }

    @Test
    void everyReferenceTransitionIsReproduced() throws IOException {
        assertThat(replayFolder(folder())).isGreaterThan(1000);
    }

    @Test
    void theBundledFilesHoldTheExpectedEpisodes() throws IOException {
        Path folder = folder();
        // when pointed elsewhere, only the replay above applies
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        // 3 random episodes: two reach the time limit, one terminates; 6 swing-up episodes all terminate
        assertThat(replay(folder.resolve("random-policy.csv"))).isEqualTo(1499);
        assertThat(replay(folder.resolve("swing-policy.csv"))).isEqualTo(559);
        List<String> random = Files.readAllLines(folder.resolve("random-policy.csv"));
        List<String> swing = Files.readAllLines(folder.resolve("swing-policy.csv"));
        assertThat(random.stream().skip(1).filter(l -> l.endsWith(",0,1")).count()).isEqualTo(2);
        assertThat(random.stream().skip(1).filter(l -> l.endsWith(",1,0")).count()).isEqualTo(1);
        assertThat(swing.stream().skip(1).filter(l -> l.endsWith(",1,0")).count()).isEqualTo(6);
    }

    @Test
    void aMissingOrEmptyFolderOrFileFailsRatherThanPassingOnNothing(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> replayFolder(tmp)).isInstanceOf(AssertionError.class).hasMessageContaining("CSV files in");
        Path empty = Files.writeString(tmp.resolve("empty.csv"), String.join(",", HEADER) + "\n");
        assertThatThrownBy(() -> replayFolder(tmp)).isInstanceOf(AssertionError.class).hasMessageContaining("has no rows");
        // a wrong next state is caught, and named
        Files.writeString(empty, String.join(",", HEADER) + "\n"
                + "0,0,0.0,0.0,0.0,0.0,1,0.0,0.0,0.0,0.5,1.0,0.0,1.0,0.0,0.0,0.5,-1.0,0,0\n");
        assertThatThrownBy(() -> replayFolder(tmp)).isInstanceOf(AssertionError.class).hasMessageContaining("next_dtheta2");
        String old = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, tmp.resolve("missing").toString());
        try {
            assertThatThrownBy(AcrobotConformanceTest::folder).isInstanceOf(AssertionError.class).hasMessageContaining("does not exist");
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
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        assertThat(rows).as(file + " has no rows").isNotEmpty();
        Acrobot env = new Acrobot();
        for (int r = 0; r < rows.size(); r++) {
            String[] f = rows.get(r).trim().split(",");
            String where = file.getFileName() + " row " + (r + 2) + " (episode " + f[0] + ", step " + f[1] + ")";
            assertThat(f).as(where).hasSize(HEADER.length);
            env.setState(new double[] {d(f[2]), d(f[3]), d(f[4]), d(f[5])}, Integer.parseInt(f[1]));
            Environment.Step result = env.step(Integer.parseInt(f[6]));
            double[] next = env.state();
            for (int i = 0; i < 4; i++) {
                assertThat(Math.abs(next[i] - d(f[7 + i])))
                        .as(where + " " + HEADER[7 + i] + " " + next[i] + " vs " + f[7 + i])
                        .isLessThanOrEqualTo(STATE_TOLERANCE);
            }
            float[] observation = result.observation();
            assertThat(observation).as(where + " observation size").hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertThat(Math.abs(observation[i] - d(f[11 + i])))
                        .as(where + " " + HEADER[11 + i] + " " + observation[i] + " vs " + f[11 + i])
                        .isLessThanOrEqualTo(OBSERVATION_TOLERANCE);
            }
            assertThat(result.reward()).as(where + " reward").isEqualTo(d(f[17]));
            assertThat(result.terminated()).as(where + " terminated").isEqualTo(flag(f[18]));
            assertThat(result.truncated()).as(where + " truncated").isEqualTo(flag(f[19]));
        }
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
}
