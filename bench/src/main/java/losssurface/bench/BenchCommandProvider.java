package losssurface.bench;

import losssurface.runner.CommandProvider;

/** Adds {@code bench} to the command line. */
public final class BenchCommandProvider implements CommandProvider {

    @Override
    public Class<?> command() {
        return BenchCommand.class;
    }
}
