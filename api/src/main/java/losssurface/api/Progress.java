package losssurface.api;

/**
 * Where plugins report what they are doing. Only the CLI prints; plugins never touch
 * {@code System.out}. Implementations must tolerate calls from one thread at a time.
 */
public interface Progress {

    /** A one-line message, e.g. "Fetching MNIST (11 MB) into ~/.cache/losssurface". */
    void info(String message);

    /**
     * Starts a measured piece of work of {@code total} units (epochs, batches, grid points).
     * Close the meter when the work ends.
     */
    Meter meter(String what, long total, String unit);

    /** A meter on a long piece of work. */
    interface Meter extends AutoCloseable {
        /** {@code done} units finished so far; {@code detail} is a short status such as "loss 0.213". */
        void update(long done, String detail);

        @Override
        void close();
    }

    /** Progress that goes nowhere (tests, embedded use). */
    static Progress silent() {
        return new Progress() {
            @Override
            public void info(String message) {
            }

            @Override
            public Meter meter(String what, long total, String unit) {
                return new Meter() {
                    @Override
                    public void update(long done, String detail) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }
}
