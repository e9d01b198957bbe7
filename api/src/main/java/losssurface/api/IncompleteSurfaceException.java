package losssurface.api;

/**
 * A surface evaluated only in part, as asked: its tile store computes a share of the tiles
 * ({@code --tiles K/N}) and the other shares are missing. Not a failure; the run folder keeps
 * the tiles, and a later run over the same folder completes and assembles them.
 */
public final class IncompleteSurfaceException extends LossSurfaceException {

    private final int missing;
    private final int tiles;

    public IncompleteSurfaceException(int missing, int tiles) {
        super(missing + " of " + tiles + " surface tiles are not computed yet (they belong to other shares).");
        this.missing = missing;
        this.tiles = tiles;
    }

    /** Tiles neither saved nor computed here. */
    public int missing() {
        return missing;
    }

    /** Tiles of the whole surface. */
    public int tiles() {
        return tiles;
    }
}
