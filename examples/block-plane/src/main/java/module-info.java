/**
 * The {@code block-plane} probe: a complete example of a third-party probe. It requires only the
 * api, exports nothing, and provides one {@code ProbeProvider}. It only plans the surface; the
 * framework's surface job evaluates it with max-points, tiles, shares, resume and progress.
 */
module losssurface.example.blockplane {
    requires losssurface.api;

    provides losssurface.api.ProbeProvider with losssurface.example.blockplane.BlockPlaneProvider;
}
