package losssurface.convert;

import losssurface.runner.CommandProvider;

/** Adds {@code export} to the command line. */
public final class ExportCommandProvider implements CommandProvider {

    @Override
    public Class<?> command() {
        return ExportCommand.class;
    }
}
