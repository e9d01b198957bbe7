package losssurface.bench;

import losssurface.runner.CommandProvider;

/** Adds {@code soak} to the command line. */
public final class SoakCommandProvider implements CommandProvider {

    @Override
    public Class<?> command() {
        return SoakCommand.class;
    }
}
