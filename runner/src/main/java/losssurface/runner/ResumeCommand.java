package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losssurface resume RUN_DIR}: finishes an interrupted, failed or killed run in its own folder. */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Finish an interrupted run: train again (same seed, same theta*), compute only the missing surface tiles, render.")
final class ResumeCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

    @Parameters(paramLabel = "RUN_DIR", description = "The run folder to finish.")
    Path runDir;

    @Option(names = "--tiles", paramLabel = "K/N",
            description = "Compute only share K of N of the missing tiles (shares may run side by side on machines sharing"
                    + " the folder); without it, everything missing is computed and the surface drawn.")
    String tiles;

    @Option(names = "--engine", hidden = true, defaultValue = "local",
            description = "What computes the tiles, recorded with each (the Spark job passes spark).")
    String engine;

    @Option(names = "--attempt", hidden = true, defaultValue = "0",
            description = "Which attempt of the share this is, recorded with each tile (the Spark job passes its task's).")
    int attempt;

    private final Provider<RunService> service;
    private final Streams streams;

    @Inject
    ResumeCommand(PluginOptions pluginOptions, Provider<RunService> service, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.service = service;
        this.streams = streams;
    }

    @Override
    public Integer call() {
        return service.get().resume(runDir, new RunService.TileJob(RunCommand.share(tiles), engine, attempt)).report(streams.out());
    }
}
