package losssurface.plugin.probes;

import losssurface.api.Settings;

/**
 * How directions are drawn and normalised: shared by the plane and line probes.
 *
 * @param seed       seed of the Gaussian directions; the run seed when empty
 * @param norm       filter (default), layer or none
 * @param keepBiases whether bias entries of the directions are kept (loss-landscape's convention:
 *                   they take theta*'s values) instead of zeroed (the default, "ignore biases")
 */
record DirectionSettings(java.util.OptionalLong seed, Directions.Norm norm, boolean keepBiases) {

    static DirectionSettings read(Settings settings, String prefix) {
        return new DirectionSettings(
                settings.optionalLong(prefix + ".seed", "the run seed"),
                Directions.Norm.read(settings, prefix + ".norm"),
                settings.choice(prefix + ".bias", "zero", java.util.Set.of("zero", "keep")).equals("keep"));
    }

    long seedOr(long runSeed) {
        return seed.orElse(runSeed);
    }
}
