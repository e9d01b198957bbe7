/**
 * Data without a framework: the examples of a data file ({@code DataFiles}: CSV with quoting,
 * {@code .npy} of any rank, {@code .npz}; NaN and infinity refused or dropped), and the loss
 * formulas ({@code Losses}: each loss's one value and one gradient) that training, every
 * evaluator and every model format share. Requires only the api and Jackson.
 */
module losssurface.data {
    requires transitive losssurface.api;
    requires com.fasterxml.jackson.dataformat.csv; // CSV with quoting done properly
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;

    exports losssurface.data;
}
