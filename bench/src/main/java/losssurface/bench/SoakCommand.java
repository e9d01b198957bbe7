package losssurface.bench;

import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import losssurface.api.LossSurfaceException;
import losssurface.runner.Streams;
import losssurface.runner.UsageException;
import losssurface.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losssurface soak}: kills a real run with SIGKILL again and again, at moments drawn from a seed, in each stage
 * of its life (training, in the middle of a surface tile, just after a tile was saved, while the numbers are written,
 * while the pictures are drawn), resumes it after each kill, and checks that its numbers end byte for byte those of the
 * same run never interrupted. Prints the kills per stage and the time they cost. Each run and resume is a process of its
 * own (this JVM's module path); their output is kept in the soak's folder.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Kill a run with SIGKILL at seeded random moments in each stage, resume it after each kill, and check its"
                + " numbers against an uninterrupted run's, byte for byte.")
public final class SoakCommand implements Callable<Integer> {

    /** The stages a kill aims at, in the order a run meets them. */
    enum Stage {
        TRAINING("training"), MID_TILE("surface, mid-tile"), BETWEEN_TILES("surface, between tiles"),
        WRITING("writing the numbers"), RENDERING("rendering");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** The run soaked unless the command line names another: a regression surface of 16 tiles that takes some seconds. */
    static final List<String> DEFAULT_RUN = List.of("--task", "regression", "--trainer", "supervised", "--seed", "7",
            "--set", "regression.samples=40000", "--set", "supervised.epochs=8", "--set", "plane.grid=61",
            "--set", "surface.evaluator=plain");

    @Option(names = "--kills", defaultValue = "30", paramLabel = "N", description = "SIGKILLs to deal (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the kills' stages and moments (default: ${DEFAULT-VALUE}); not the run's seed.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the two runs and every process's output"
            + " (default: a new folder soak-DATE-TIME in the current folder).")
    Path out;

    @Parameters(paramLabel = "RUN_OPTION", arity = "0..*",
            description = "The run's options, as for 'losssurface run', after '--' (default: a regression surface of some seconds: "
                    + "--task regression --trainer supervised --seed 7 --set regression.samples=40000 --set supervised.epochs=8"
                    + " --set plane.grid=61 --set surface.evaluator=plain).")
    List<String> runOptions;

    private final Streams streams;
    /** The run or resume now going, ended with the soak if the soak is stopped (Ctrl-C). */
    private volatile Process current;

    @Inject
    public SoakCommand(Streams streams) {
        this.streams = streams;
    }

    private static final Pattern STAGE = Pattern.compile("\"stage\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final Pattern FOLDER = Pattern.compile("Run folder: (.+)");
    private static final Pattern TILE = Pattern.compile("tile-\\d+\\.npy");
    private static final long POLL_MS = 5;

    @Override
    public Integer call() throws Exception {
        if (kills < 0 || kills > 10_000) {
            throw new UsageException("--kills must be between 0 and 10000, was " + kills + ".");
        }
        List<String> run = runOptions == null || runOptions.isEmpty() ? DEFAULT_RUN : runOptions;
        if (run.contains("--out")) {
            throw new UsageException("Give the soak's folder with the soak's own --out before the run's options; the runs go"
                    + " inside it.");
        }
        Path dir = out != null ? out : Path.of("soak-" + RunFolder.stamp());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(dir + " is not empty. Give --out a new or empty folder.");
                }
            }
        }
        Files.createDirectories(dir.resolve("logs"));
        Thread stop = new Thread(() -> {
            Process p = current;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "losssurface-soak-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return soak(run, dir);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private int soak(List<String> run, Path dir) throws IOException, InterruptedException {
        PrintStream say = streams.out();
        say.println("Soak: " + kills + " SIGKILLs at seeded random moments (seed " + seed + ") of: run " + String.join(" ", run));
        say.println("Folder: " + dir.toAbsolutePath());

        // the uninterrupted run: the bytes to match, and how long each stage takes
        Life reference = new Life(dir, "reference", with(run, "run", dir.resolve("reference")));
        Watch first = reference.watch(null, 0, null);
        if (first.exit() != 0) {
            List<String> lines = Files.readAllLines(first.log()).stream().filter(l -> !l.isBlank()).toList();
            String said = lines.stream().filter(l -> l.startsWith("error:")).findFirst().or(() -> lines.stream().findFirst())
                    .map(l -> ": " + l.replaceFirst("^error:\\s*", "").strip()).orElse(".");
            throw new LossSurfaceException("The uninterrupted run failed (exit " + first.exit() + ")" + said + (said.endsWith(".") ? "" : ".") + " Its output is in "
                    + first.log() + ". Soak a run that works.");
        }
        Path referenceDir = reference.runDir;
        int tiles = countTiles(referenceDir);
        say.printf(Locale.ROOT, "Uninterrupted: %.1f s (%s; %d tiles)%n", first.seconds(), first.describeStages(), tiles);

        // how many kills land in each stage: at least one each, the rest at random; after a tile at most tiles - 1 times
        Random random = new Random(seed);
        Map<Stage, Integer> planned = plan(random, kills, tiles);
        Life soaked = new Life(dir, "soaked", with(run, "run", dir.resolve("soaked")));
        Map<Stage, Integer> dealt = new LinkedHashMap<>();
        Map<Stage, Double> killedSeconds = new LinkedHashMap<>();
        int n = 0;
        boolean started = false;
        double soakedSeconds = 0;
        int processes = 0;
        for (Map.Entry<Stage, Integer> e : planned.entrySet()) {
            for (int i = 0; i < e.getValue(); i++) {
                Stage aim = e.getKey();
                // a moment within the stage as long as the uninterrupted run spent in it: early in the short last stages,
                // which a resume may pass through faster
                double fraction = aim == Stage.BETWEEN_TILES ? 0 : aim.ordinal() >= Stage.WRITING.ordinal()
                        ? 0.05 + 0.5 * random.nextDouble() : 0.1 + 0.8 * random.nextDouble();
                Watch w = soaked.watch(aim, fraction * first.stageSeconds(aim, tiles), started ? "resume" : null);
                started = true;
                processes++;
                soakedSeconds += w.seconds();
                if (w.killedIn() == null) {
                    say.println("The run ended (exit " + w.exit() + ") before kill " + (n + 1) + " (aimed at " + aim.label
                            + ") could land; " + n + " kills dealt. Its output: " + w.log());
                    return report(say, dealt, killedSeconds, planned, n, soakedSeconds, processes, first, referenceDir,
                            soaked.runDir, w.exit() == 0);
                }
                n++;
                dealt.merge(w.killedIn(), 1, Integer::sum);
                killedSeconds.merge(w.killedIn(), w.seconds(), Double::sum);
                say.printf(Locale.ROOT, "kill %2d/%d  %-24s after %5.1f s (process %d)%s%n", n, kills, w.killedIn().label,
                        w.seconds(), w.pid(), w.killedIn() == aim ? "" : ", aimed at " + aim.label);
            }
        }
        Watch last = soaked.watch(null, 0, started ? "resume" : null);
        processes++;
        soakedSeconds += last.seconds();
        if (last.exit() != 0) {
            say.println("The last resume failed (exit " + last.exit() + "); its output: " + last.log());
        }
        return report(say, dealt, killedSeconds, planned, n, soakedSeconds, processes, first, referenceDir, soaked.runDir,
                last.exit() == 0);
    }

    private int report(PrintStream say, Map<Stage, Integer> dealt, Map<Stage, Double> killedSeconds, Map<Stage, Integer> planned,
                       int n, double soakedSeconds, int processes, Watch first, Path referenceDir, Path soakedDir,
                       boolean finished) throws IOException {
        say.println();
        say.printf(Locale.ROOT, "%-24s %7s %7s %14s%n", "stage", "aimed", "kills", "ran (s)");
        for (Stage s : Stage.values()) {
            say.printf(Locale.ROOT, "%-24s %7d %7d %14.1f%n", s.label, planned.getOrDefault(s, 0), dealt.getOrDefault(s, 0),
                    killedSeconds.getOrDefault(s, 0.0));
        }
        say.printf(Locale.ROOT, "%-24s %7d %7d %14.1f%n", "total", planned.values().stream().mapToInt(Integer::intValue).sum(), n,
                killedSeconds.values().stream().mapToDouble(Double::doubleValue).sum());
        say.printf(Locale.ROOT, "Time lost: %.1f s (%d processes took %.1f s; the uninterrupted run %.1f s)%n",
                soakedSeconds - first.seconds(), processes, soakedSeconds, first.seconds());
        if (!finished || soakedDir == null) {
            say.println("The soaked run did not finish; nothing to compare.");
            return 1;
        }
        List<String> differ = new ArrayList<>();
        List<String> same = new ArrayList<>();
        List<String> files;
        try (Stream<Path> s = Files.list(referenceDir)) {
            files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted().toList();
        }
        for (String f : files) {
            Path other = soakedDir.resolve(f);
            if (Files.isRegularFile(other) && Arrays.equals(Files.readAllBytes(referenceDir.resolve(f)), Files.readAllBytes(other))) {
                same.add(f);
            } else {
                differ.add(f);
            }
        }
        if (!differ.isEmpty() || files.isEmpty()) {
            say.println("Numbers: " + differ.size() + " of " + files.size() + " .npy files differ from the uninterrupted run's: "
                    + String.join(", ", differ));
            return 1;
        }
        say.println("Numbers: all " + same.size() + " .npy files byte-identical to the uninterrupted run's (" + String.join(", ", same)
                + ").");
        return n == planned.values().stream().mapToInt(Integer::intValue).sum() ? 0 : 1;
    }

    /** Kills per stage: one each (where there are enough), the rest at random; after a tile, fewer than the tiles. */
    static Map<Stage, Integer> plan(Random random, int kills, int tiles) {
        Map<Stage, Integer> plan = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            plan.put(s, 0);
        }
        int maxBetween = Math.max(0, tiles - 1);
        for (int i = 0; i < kills; i++) {
            Stage s;
            if (i < Stage.values().length) {
                s = Stage.values()[i];
            } else {
                s = Stage.values()[random.nextInt(Stage.values().length)];
            }
            if (s == Stage.BETWEEN_TILES && plan.get(s) >= maxBetween) {
                s = Stage.MID_TILE;
            }
            plan.merge(s, 1, Integer::sum);
        }
        return plan;
    }

    private static List<String> with(List<String> run, String command, Path out) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(run);
        all.addAll(List.of("--out", out.toString()));
        return all;
    }

    static int countTiles(Path runDir) throws IOException {
        Path tiles = runDir.resolve(RunFolder.TILES);
        if (!Files.isDirectory(tiles)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(tiles)) {
            return (int) s.filter(p -> TILE.matcher(p.getFileName().toString()).matches()).count();
        }
    }

    /**
     * What one process did: its exit status (137 when killed), how long it ran, the stage a kill found it in (null when
     * it ended by itself), and when each stage began.
     */
    record Watch(int exit, double seconds, Stage killedIn, long pid, Path log, Map<String, Double> stageStarts) {

        /** Seconds a stage took in this (uninterrupted) process; for the surface, one tile's. */
        double stageSeconds(Stage stage, int tiles) {
            return switch (stage) {
                case TRAINING -> between("training", "objective");
                case MID_TILE -> between("surface", "analysis") / Math.max(1, tiles);
                case BETWEEN_TILES -> 0;
                case WRITING -> between("writing the numbers", "rendering");
                case RENDERING -> Math.max(0, seconds - stageStarts.getOrDefault("rendering", seconds));
            };
        }

        private double between(String a, String b) {
            Double from = stageStarts.get(a);
            Double to = stageStarts.get(b);
            return from == null || to == null ? 0 : Math.max(0, to - from);
        }

        String describeStages() {
            List<String> parts = new ArrayList<>();
            List<Map.Entry<String, Double>> list = new ArrayList<>(stageStarts.entrySet());
            for (int i = 0; i < list.size(); i++) {
                double end = i + 1 < list.size() ? list.get(i + 1).getValue() : seconds;
                parts.add(String.format(Locale.ROOT, "%s %.2f s", list.get(i).getKey(), end - list.get(i).getValue()));
            }
            return String.join(", ", parts);
        }
    }

    /** One run's life: its first process ({@code run}), then each {@code resume} of its folder. */
    private final class Life {
        final Path soak;
        final String name;
        final List<String> runArgs;
        Path runDir;
        int count;

        Life(Path soak, String name, List<String> runArgs) {
            this.soak = soak;
            this.name = name;
            this.runArgs = runArgs;
        }

        /**
         * Starts the next process of this run ({@code resume} of its folder after the first), and kills it with SIGKILL
         * {@code delay} seconds into {@code aim} (just after a new tile, for {@link Stage#BETWEEN_TILES}), or lets it end
         * when {@code aim} is null.
         */
        Watch watch(Stage aim, double delay, String resume) throws IOException, InterruptedException {
            List<String> args = resume == null ? runArgs : List.of("resume", runDir.toString());
            Path log = soak.resolve("logs").resolve(String.format(Locale.ROOT, "%s-%02d-%s.txt", name, ++count,
                    resume == null ? "run" : "resume"));
            ProcessBuilder pb = new ProcessBuilder(BenchSupport.runnerCommand(args)).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            long t0 = System.nanoTime();
            Process p = pb.start();
            current = p;
            Map<String, Double> starts = new LinkedHashMap<>();
            String stage = null;
            double stageSince = 0;
            int tilesSeen = -1;
            try {
                while (p.isAlive()) {
                    double now = (System.nanoTime() - t0) / 1e9;
                    if (runDir == null) {
                        Matcher m = FOLDER.matcher(Files.readString(log));
                        if (m.find()) {
                            runDir = Path.of(m.group(1).strip());
                        }
                    }
                    String s = runDir == null ? null : stageOf(runDir, p.pid());
                    if (s != null && !s.equals(stage)) {
                        stage = s;
                        stageSince = now;
                        starts.putIfAbsent(s, now);
                    }
                    Stage at = stage == null ? null : stageFor(stage, log);
                    if (aim != null && at != null) {
                        boolean fire;
                        if (aim == Stage.BETWEEN_TILES) {
                            int t = "surface".equals(stage) ? countTiles(runDir) : -1;
                            fire = tilesSeen >= 0 && t > tilesSeen;
                            tilesSeen = t >= 0 ? t : tilesSeen;
                            if (fire) {
                                at = Stage.BETWEEN_TILES;
                            } else {
                                fire = at.ordinal() > Stage.BETWEEN_TILES.ordinal(); // every tile was there: the next stage
                            }
                        } else {
                            fire = at == aim && now - stageSince >= delay || at.ordinal() > aim.ordinal();
                        }
                        if (fire) {
                            p.destroyForcibly(); // SIGKILL
                            p.waitFor();
                            return new Watch(p.exitValue(), (System.nanoTime() - t0) / 1e9, at, p.pid(), log, starts);
                        }
                    }
                    Thread.sleep(POLL_MS);
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            p.waitFor(1, TimeUnit.MINUTES);
            return new Watch(p.exitValue(), (System.nanoTime() - t0) / 1e9, null, p.pid(), log, starts);
        }
    }

    /** The stage a run's state file names now, or null when it names another process (the one killed before this). */
    private static String stageOf(Path runDir, long pid) {
        try {
            String state = Files.readString(runDir.resolve(RunFolder.STATE));
            Matcher m = STAGE.matcher(state);
            Matcher owner = PID.matcher(state);
            return m.find() && owner.find() && Long.parseLong(owner.group(1)) == pid ? m.group(1) : null;
        } catch (IOException | RuntimeException e) {
            return null; // being written again, atomically
        }
    }

    /** The soak's stage for a state's stage; a resumed process restoring its trained model is in none. */
    private static Stage stageFor(String stage, Path log) {
        return switch (stage) {
            case "training" -> restoring(log) ? null : Stage.TRAINING;
            case "surface" -> Stage.MID_TILE;
            case "writing the numbers" -> Stage.WRITING;
            case "rendering" -> Stage.RENDERING;
            default -> null;
        };
    }

    /** Whether the process has restored its trained model (a resume that need not train): it says so once it has. */
    private static boolean restoring(Path log) {
        try {
            String said = Files.readString(log);
            return said.startsWith("Resuming ") && !said.contains("Training restarts:");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
