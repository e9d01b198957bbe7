package losssurface.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.TileStore;
import losssurface.api.Objective;
import losssurface.api.io.AtomicFiles;
import losssurface.api.io.Checksum;
import losssurface.api.io.Npy;

/**
 * A run folder's tiles: {@code tiles/grid.json} says which grid they belong to (its size, metrics,
 * coordinates and the SHA-256 of theta* and of each direction), and each finished tile is
 * {@code tiles/tile-NNNN.npy} ({@code [metrics, points]} float64) with {@code tile-NNNN.json}
 * (evaluator, note, seconds). Each file is written atomically ({@link AtomicFiles}), the
 * {@code .npy} last, so a tile is whole or absent after a crash. A store holding tiles of
 * another grid is refused, naming what differs, so a resumed surface never mixes grids.
 */
public final class RunTiles implements TileStore {

    /** Tiles per surface the store aims for: small enough to lose little to a crash, few enough files. */
    static final int TARGET_TILES = 16;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Share share;
    private final String engine;

    /** The tiles of the run in {@code runDir}, all computed here. */
    public RunTiles(Path runDir) {
        this(runDir, Share.ALL, "local");
    }

    /**
     * The tiles of the run in {@code runDir}, of which this process computes {@code share}.
     *
     * @param engine what computes them, recorded with each tile: {@code local}, or {@code spark} in a Spark task
     */
    public RunTiles(Path runDir, Share share, String engine) {
        this.dir = runDir.resolve(RunFolder.TILES);
        this.share = share;
        this.engine = engine;
    }

    /**
     * Share {@code k} of {@code n} of a surface's tiles ({@code --tiles k/n}): tiles {@code t} with
     * {@code t mod n == k - 1}, so that n processes computing shares 1..n cover each tile once.
     */
    public record Share(int k, int n) {
        /** Every tile. */
        public static final Share ALL = new Share(1, 1);

        public Share {
            if (n < 1 || n > 100_000 || k < 1 || k > n) {
                throw new LossSurfaceException("--tiles must be K/N with 1 <= K <= N <= 100000, was " + k + "/" + n + ".");
            }
        }

        /** Parses {@code K/N}, e.g. {@code 3/8}. */
        public static Share parse(String text) {
            String[] parts = String.valueOf(text).strip().split("/", -1);
            try {
                if (parts.length == 2) {
                    return new Share(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new LossSurfaceException("--tiles must be K/N, e.g. 3/8 for the third of eight shares, was '" + text + "'.");
        }

        public boolean all() {
            return n == 1;
        }

        boolean has(int tile) {
            return tile % n == k - 1;
        }

        @Override
        public String toString() {
            return k + "/" + n;
        }
    }

    /** How many tiles are saved in the run in {@code runDir}, and of how many. */
    public static String progress(Path runDir) {
        Path grid = runDir.resolve(RunFolder.TILES).resolve(RunFolder.TILES_GRID);
        if (!Files.isRegularFile(grid)) {
            return "no surface tiles yet";
        }
        try (var files = Files.list(grid.getParent())) {
            long done = files.filter(f -> f.getFileName().toString().matches("tile-\\d+\\.npy")).count();
            return done + " of " + JSON.readTree(grid.toFile()).path("tiles").asInt() + " surface tiles";
        } catch (IOException e) {
            return "tiles unreadable (" + e.getMessage() + ")";
        }
    }

    /** Seconds each saved tile of the run in {@code runDir} took to compute, by tile number. */
    public static Map<String, Double> seconds(Path runDir) {
        Map<String, Double> out = new java.util.TreeMap<>();
        meta(runDir).forEach((tile, m) -> out.put(tile, m.path("seconds").asDouble()));
        return out;
    }

    /**
     * How the saved tiles of the run in {@code runDir} were made, for provenance: the engines
     * ({@code local}, {@code spark}), the hosts and shares that computed them, and how many tiles.
     */
    public static Map<String, Object> job(Path runDir) {
        java.util.Set<String> engines = new java.util.TreeSet<>();
        java.util.Set<String> hosts = new java.util.TreeSet<>();
        java.util.Set<String> shares = new java.util.TreeSet<>();
        Map<String, JsonNode> all = meta(runDir);
        all.values().forEach(m -> {
            engines.add(m.path("engine").asText("local"));
            hosts.add(m.path("host").asText("unknown"));
            shares.add(m.path("share").asText("1/1"));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", String.join("+", engines));
        out.put("tiles", all.size());
        out.put("hosts", List.copyOf(hosts));
        out.put("shares", List.copyOf(shares));
        return out;
    }

    private static Map<String, JsonNode> meta(Path runDir) {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        Path dir = runDir.resolve(RunFolder.TILES);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("tile-\\d+\\.json")).toList()) {
                out.put(f.getFileName().toString().replace(".json", ""), JSON.readTree(f.toFile()));
            }
        } catch (IOException e) {
            // informative only
        }
        return out;
    }

    @Override
    public Tiles open(GridRequest grid, Objective objective) {
        List<String> metrics = objective.metrics();
        int rows = grid.alphas().length;
        int perTile = Math.max(1, (rows + TARGET_TILES - 1) / TARGET_TILES);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("rows", rows);
        identity.put("columns", grid.betas().length);
        identity.put("metrics", metrics);
        identity.put("objective", objective.description());
        identity.put("objective-sha256", Checksum.of(objective.identity().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        identity.put("tile-rows", perTile);
        identity.put("tiles", (rows + perTile - 1) / perTile);
        identity.put("theta-sha256", Checksum.of(grid.centre()));
        identity.put("direction-1-sha256", Checksum.of(grid.d1()));
        identity.put("direction-2-sha256", grid.d2() == null ? "none (a line)" : Checksum.of(grid.d2()));
        identity.put("alphas", grid.alphas());
        identity.put("betas", grid.betas());
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(RunFolder.TILES_GRID);
            JsonNode wanted = JSON.valueToTree(identity);
            if (Files.isRegularFile(file)) {
                JsonNode saved = JSON.readTree(file.toFile());
                for (String key : identity.keySet()) {
                    if (!wanted.get(key).equals(saved.get(key))) {
                        throw new LossSurfaceException("The saved tiles in " + dir + " belong to another surface: its " + key
                                + " was " + shorten(saved.get(key)) + ", now " + shorten(wanted.get(key)) + ". "
                                + (key.startsWith("theta") ? "Training gave other parameters than before. " : "")
                                + (key.startsWith("objective") ? "The objective or its data changed since. " : "")
                                + "Start a new run instead of resuming this one, or delete " + dir + " to recompute every tile.");
                    }
                }
            } else {
                AtomicFiles.writeString(file, JSON.writeValueAsString(wanted));
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot keep the surface's tiles in " + dir + " (" + e.getMessage()
                    + "). Choose a writable folder with --out.", e);
        }
        int metricCount = metrics.size();
        int columns = grid.betas().length;
        return new Tiles() {
            @Override
            public int rowsPerTile() {
                return perTile;
            }

            @Override
            public Optional<GridValues> load(int tile) {
                Path npy = dir.resolve(name(tile) + ".npy");
                if (!Files.isRegularFile(npy)) {
                    return Optional.empty();
                }
                try {
                    NamedArray a = Npy.read(npy);
                    int points = Math.min(perTile, rows - tile * perTile) * columns;
                    if (a.shape().length != 2 || a.shape()[0] != metricCount || a.shape()[1] != points
                            || !(a.values() instanceof double[] flat)) {
                        throw new LossSurfaceException(npy + " is not a tile of " + metricCount + " x " + points
                                + " float64 values. Delete it to compute that tile again.");
                    }
                    JsonNode meta = JSON.readTree(dir.resolve(name(tile) + ".json").toFile());
                    double[][] values = new double[metricCount][];
                    for (int m = 0; m < metricCount; m++) {
                        values[m] = java.util.Arrays.copyOfRange(flat, m * points, (m + 1) * points);
                    }
                    return Optional.of(new GridValues(values, meta.path("evaluator").asText("?"), meta.path("note").asText("")));
                } catch (IOException e) {
                    throw new LossSurfaceException("Cannot read the saved tile " + npy + " (" + e.getMessage()
                            + "). Delete it to compute that tile again.", e);
                }
            }

            @Override
            public boolean mine(int tile) {
                return share.has(tile);
            }

            @Override
            public void save(int tile, GridValues values, double seconds) {
                int points = values.values()[0].length;
                double[] flat = new double[metricCount * points];
                for (int m = 0; m < metricCount; m++) {
                    System.arraycopy(values.values()[m], 0, flat, m * points, points);
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("tile", tile);
                meta.put("first-row", tile * perTile);
                meta.put("evaluator", values.evaluator());
                meta.put("note", values.note());
                meta.put("seconds", seconds);
                meta.put("share", share.toString());
                meta.put("engine", engine);
                meta.put("host", host());
                try {
                    AtomicFiles.writeString(dir.resolve(name(tile) + ".json"), JSON.writeValueAsString(meta));
                    Npy.write(dir.resolve(name(tile) + ".npy"), new NamedArray(new int[] {metricCount, points}, flat));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot save tile " + tile + " in " + dir + ": " + e.getMessage(), e);
                }
            }
        };
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String name(int tile) {
        return String.format("tile-%04d", tile);
    }

    private static String shorten(JsonNode n) {
        String s = n == null ? "absent" : n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

}
