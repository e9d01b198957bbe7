package losssurface.api;

import java.util.Optional;

/**
 * Where a surface's finished tiles are kept, so that an interrupted surface resumes where it
 * stopped. A tile is a block of whole grid rows; the surface job evaluates a grid tile by tile, and a
 * tile found here is read back instead of computed again. The runner gives each run a store in
 * its run folder; {@link #NONE}, the default, keeps nothing and makes the whole grid one tile.
 */
public interface TileStore {

    /** Keeps nothing: the whole grid is one tile, computed every time. */
    TileStore NONE = (grid, objective) -> new Tiles() {
        @Override
        public int rowsPerTile() {
            return grid.alphas().length;
        }

        @Override
        public Optional<GridValues> load(int tile) {
            return Optional.empty();
        }

        @Override
        public void save(int tile, GridValues values, double seconds) {
        }
    };

    /**
     * This store's tiles of {@code grid} of {@code objective}.
     *
     * @throws LossSurfaceException when the store holds tiles of another grid or objective (other
     *                              centre, directions, coordinates, metrics or
     *                              {@linkplain Objective#identity() identity}, e.g. other data),
     *                              naming what differs
     */
    Tiles open(GridRequest grid, Objective objective);

    /** The tiles of one grid. */
    interface Tiles {
        /** Grid rows per tile (the last tile may have fewer). */
        int rowsPerTile();

        /** The values of tile {@code tile} ({@code values[metric][point of the tile]}) when it was saved before. */
        Optional<GridValues> load(int tile);

        /** Saves a finished tile atomically: after a crash it is either whole or absent. */
        void save(int tile, GridValues values, double seconds);

        /**
         * Whether this process computes tile {@code tile} when it is not saved: a store may give
         * each of several processes a share of the tiles. By default every tile.
         */
        default boolean mine(int tile) {
            return true;
        }
    }
}
