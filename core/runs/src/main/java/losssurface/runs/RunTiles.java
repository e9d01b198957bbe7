package losssurface.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
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

    /**
     * {@code tiles/grid.json}: which grid the tiles belong to, written and read by Jackson.
     *
     * @param rows            grid rows (along the first direction)
     * @param columns         grid columns (1 for a line)
     * @param metrics         the objective's metrics
     * @param objective       the objective's description
     * @param objectiveSha256 the SHA-256 of the objective's identity (e.g. its data)
     * @param tileRows        grid rows per tile
     * @param tiles           the number of tiles
     * @param thetaSha256     the SHA-256 of the centre
     * @param direction1Sha256 the SHA-256 of the first direction
     * @param direction2Sha256 the SHA-256 of the second direction, or "none (a line)"
     * @param alphas          the coordinates along the first direction
     * @param betas           the coordinates along the second direction
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"rows", "columns", "metrics", "objective", "objective-sha256", "tile-rows", "tiles", "theta-sha256", "direction-1-sha256", "direction-2-sha256", "alphas", "betas"})
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Grid(int rows, int columns, List<String> metrics, String objective,
                @JsonProperty("objective-sha256") String objectiveSha256, @JsonProperty("tile-rows") int tileRows, int tiles,
                @JsonProperty("theta-sha256") String thetaSha256, @JsonProperty("direction-1-sha256") String direction1Sha256,
                @JsonProperty("direction-2-sha256") String direction2Sha256, double[] alphas, double[] betas) {
    }

    /**
     * {@code tiles/tile-NNNN.json}: how one tile was made, written and read by Jackson.
     *
     * @param tile      the tile's number
     * @param firstRow  its first grid row
     * @param evaluator the evaluator that computed it
     * @param note      what the evaluator said about it, or empty
     * @param seconds   how long it took
     * @param share     the share ({@code K/N}) that computed it
     * @param engine    {@code local}, or {@code spark} in a Spark task
     * @param host      the machine that computed it
     * @param attempt   which attempt of its share computed it: Spark's task attempt number (0 the first; a retry after a lost
     *                  executor counts up), 0 elsewhere, and absent from tiles written before it was recorded
     * @param valuesSha256 the SHA-256 of the tile's values (their little-endian float64 bytes), which a resumed surface checks
     * @param gridSha256   the SHA-256 of the {@code grid.json} the tile belongs to, so that a damaged {@code grid.json} can be
     *                     rebuilt without mixing grids
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"tile", "first-row", "evaluator", "note", "seconds", "share", "engine", "host",
            "attempt", "values-sha256", "grid-sha256"})
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record TileMeta(int tile, @JsonProperty("first-row") int firstRow, String evaluator, String note, double seconds, String share,
                    String engine, String host, Integer attempt, @JsonProperty("values-sha256") String valuesSha256,
                    @JsonProperty("grid-sha256") String gridSha256) {
    }

    /** Where damaged tiles (and a damaged {@code grid.json}) are moved, inside {@code tiles/}, before they are computed again. */
    static final String DAMAGED = "damaged";

    /** Tiles per surface the store aims for: small enough to lose little to a crash, few enough files. */
    static final int TARGET_TILES = 16;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Share share;
    private final String engine;
    private final int attempt;
    private final java.util.function.Consumer<String> report;

    /** The tiles of the run in {@code runDir}, all computed here. */
    public RunTiles(Path runDir) {
        this(runDir, Share.ALL, "local", 0);
    }

    /** The same, damaged tiles reported nowhere. */
    public RunTiles(Path runDir, Share share, String engine, int attempt) {
        this(runDir, share, engine, attempt, message -> { });
    }

    /**
     * The tiles of the run in {@code runDir}, of which this process computes {@code share}.
     *
     * @param engine what computes them, recorded with each tile: {@code local}, or {@code spark} in a Spark task
     * @param attempt  which attempt of the share this is, recorded with each tile: Spark's task attempt number, else 0
     * @param report   told of each damaged tile (or {@code grid.json}) found, moved aside and computed again
     */
    public RunTiles(Path runDir, Share share, String engine, int attempt, java.util.function.Consumer<String> report) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt " + attempt + " < 0");
        }
        this.dir = runDir.resolve(RunFolder.TILES);
        this.share = share;
        this.engine = engine;
        this.attempt = attempt;
        this.report = java.util.Objects.requireNonNull(report, "report");
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
            return done + " of " + JSON.readValue(grid.toFile(), Grid.class).tiles() + " surface tiles";
        } catch (IOException e) {
            return "tiles unreadable (" + e.getMessage() + ")";
        }
    }

    /** Seconds each saved tile of the run in {@code runDir} took to compute, by tile number. */
    public static Map<String, Double> seconds(Path runDir) {
        Map<String, Double> out = new java.util.TreeMap<>();
        meta(runDir).forEach((tile, m) -> out.put(tile, m.seconds()));
        return out;
    }

    /**
     * How the saved tiles of the run in {@code runDir} were made, for provenance: the engines
     * ({@code local}, {@code spark}), the hosts and shares that computed them, how many tiles, and the shares that were
     * retried (a Spark task attempt after the first, e.g. on a lost executor) with the tiles each attempt saved:
     * {@code "retried-shares": {"2/3": {"attempt 0": 2, "attempt 1": 3}}}.
     */
    public static Map<String, Object> job(Path runDir) {
        java.util.Set<String> engines = new java.util.TreeSet<>();
        java.util.Set<String> hosts = new java.util.TreeSet<>();
        java.util.Set<String> shares = new java.util.TreeSet<>();
        Map<String, Map<String, Integer>> attempts = new java.util.TreeMap<>();
        Map<String, TileMeta> all = meta(runDir);
        all.values().forEach(m -> {
            String share = m.share() == null ? "1/1" : m.share();
            engines.add(m.engine() == null ? "local" : m.engine());
            hosts.add(m.host() == null ? "unknown" : m.host());
            shares.add(share);
            attempts.computeIfAbsent(share, s -> new java.util.TreeMap<>())
                    .merge("attempt " + (m.attempt() == null ? 0 : m.attempt()), 1, Integer::sum);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", String.join("+", engines));
        out.put("tiles", all.size());
        out.put("hosts", List.copyOf(hosts));
        out.put("shares", List.copyOf(shares));
        Map<String, Object> retried = new LinkedHashMap<>();
        attempts.forEach((share, tiles) -> {
            if (!tiles.keySet().equals(java.util.Set.of("attempt 0"))) {
                retried.put(share, tiles);
            }
        });
        if (!retried.isEmpty()) {
            out.put("retried-shares", retried);
        }
        return out;
    }

    private static Map<String, TileMeta> meta(Path runDir) {
        Map<String, TileMeta> out = new java.util.TreeMap<>();
        Path dir = runDir.resolve(RunFolder.TILES);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("tile-\\d+\\.json")).toList()) {
                out.put(f.getFileName().toString().replace(".json", ""), JSON.readValue(f.toFile(), TileMeta.class));
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
        Grid identity = new Grid(rows, grid.betas().length, metrics, objective.description(),
                Checksum.of(objective.identity().getBytes(java.nio.charset.StandardCharsets.UTF_8)), perTile,
                (rows + perTile - 1) / perTile, Checksum.of(grid.centre()), Checksum.of(grid.d1()),
                grid.d2() == null ? "none (a line)" : Checksum.of(grid.d2()), grid.alphas(), grid.betas());
        String gridSha;
        boolean rebuilt;
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(RunFolder.TILES_GRID);
            JsonNode wanted = JSON.valueToTree(identity);
            String wantedText = JSON.writeValueAsString(wanted);
            gridSha = Checksum.of(wantedText.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            boolean existed = Files.isRegularFile(file);
            JsonNode saved = existed ? readGrid(file) : null;
            rebuilt = existed && saved == null;
            if (saved != null) {
                for (java.util.Iterator<String> keys = wanted.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!wanted.get(key).equals(saved.get(key))) {
                        throw new LossSurfaceException("The saved tiles in " + dir + " belong to another surface: its " + key
                                + " was " + shorten(saved.get(key)) + ", now " + shorten(wanted.get(key)) + ". "
                                + (key.startsWith("theta") ? "Training gave other parameters than before. " : "")
                                + (key.startsWith("objective") ? "The objective or its data changed since. " : "")
                                + "Start a new run instead of resuming this one, or delete " + dir + " to recompute every tile.");
                    }
                }
            } else {
                AtomicFiles.writeString(file, wantedText);
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
                int points = Math.min(perTile, rows - tile * perTile) * columns;
                TileMeta meta;
                double[] flat;
                try {
                    meta = JSON.readValue(dir.resolve(name(tile) + ".json").toFile(), TileMeta.class);
                } catch (IOException e) {
                    return damaged(tile, "its record " + name(tile) + ".json is missing or unreadable (" + firstLine(e) + ")");
                }
                try {
                    NamedArray a = Npy.read(npy);
                    if (a.shape().length != 2 || a.shape()[0] != metricCount || a.shape()[1] != points
                            || !(a.values() instanceof double[] values)) {
                        return damaged(tile, "it holds " + java.util.Arrays.toString(a.shape()) + " values, not " + metricCount + " x "
                                + points + " float64");
                    }
                    flat = values;
                } catch (IOException | RuntimeException e) {
                    return damaged(tile, "it cannot be read as a NumPy array (" + firstLine(e) + "; a copy cut short?)");
                }
                String sum = meta.valuesSha256() == null ? null : Checksum.of(flat);
                if (sum != null && !meta.valuesSha256().equals(sum)) {
                    return damaged(tile, "its values' SHA-256 is " + sum.substring(0, 12) + "..., the tile records "
                            + meta.valuesSha256().substring(0, Math.min(12, meta.valuesSha256().length()))
                            + "... (a flipped bit, or a partial copy)");
                }
                if (meta.gridSha256() != null ? !meta.gridSha256().equals(gridSha) : rebuilt) {
                    return damaged(tile, meta.gridSha256() != null ? "it belongs to another grid than this surface's"
                            : "it records no grid to check against, and tiles/" + RunFolder.TILES_GRID + " was damaged");
                }
                double[][] values = new double[metricCount][];
                for (int m = 0; m < metricCount; m++) {
                    values[m] = java.util.Arrays.copyOfRange(flat, m * points, (m + 1) * points);
                }
                return Optional.of(new GridValues(values, meta.evaluator() == null ? "?" : meta.evaluator(),
                        meta.note() == null ? "" : meta.note()));
            }

            /** Moves a damaged tile aside, says so, and has it computed again. */
            private Optional<GridValues> damaged(int tile, String what) {
                Path aside = moveAside(name(tile) + ".npy", name(tile) + ".json");
                report.accept("Tile " + tile + " (" + dir.getFileName().resolve(name(tile) + ".npy") + ") is damaged: " + what
                        + ". Moved to " + aside + "; it is computed again.");
                return Optional.empty();
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
                TileMeta meta = new TileMeta(tile, tile * perTile, values.evaluator(), values.note(), seconds, share.toString(), engine,
                        host(), attempt, Checksum.of(flat), gridSha);
                try {
                    AtomicFiles.writeString(dir.resolve(name(tile) + ".json"), JSON.writeValueAsString(meta));
                    Npy.write(dir.resolve(name(tile) + ".npy"), new NamedArray(new int[] {metricCount, points}, flat));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot save tile " + tile + " in " + dir + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * {@code grid.json}'s contents, or null when it is damaged (not JSON, or not an object): it is then moved aside, said, and
     * written again; the tiles keep only where they record the same grid.
     */
    private JsonNode readGrid(Path file) {
        try {
            JsonNode saved = JSON.readTree(file.toFile());
            if (saved != null && saved.isObject()) {
                return saved;
            }
        } catch (IOException e) {
            // damaged: below
        }
        Path aside = moveAside(RunFolder.TILES_GRID);
        report.accept("tiles/" + RunFolder.TILES_GRID + " is damaged (not the JSON this run wrote). Moved to " + aside
                + "; it is written again, and only tiles that record the same grid are kept.");
        return null;
    }

    /** Moves {@code names} of the tiles folder into {@code tiles/damaged/<time>/}; returns that folder. */
    private Path moveAside(String... names) {
        Path to = dir.resolve(DAMAGED).resolve(RunFolder.stamp() + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(to);
            for (String n : names) {
                Path from = dir.resolve(n);
                if (Files.exists(from)) {
                    Files.move(from, to.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot move the damaged " + String.join(" and ", names) + " out of " + dir + " ("
                    + e.getMessage() + "). Delete them by hand to compute them again.", e);
        }
        return to;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** This machine's name, as tiles and locks record it. */
    static String host() {
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
