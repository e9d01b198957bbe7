package losssurface.runner;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code losssurface resume RUN_DIR}: finishes an interrupted, failed or killed run in its own folder. */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Finish an interrupted run: train again (same seed, same theta*), compute only the missing surface tiles, render.")
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Mixin
    Cli.PluginOptions pluginOptions = new Cli.PluginOptions();

    @Parameters(paramLabel = "RUN_DIR", description = "The run folder to finish.")
    Path runDir;

    @Option(names = "--tiles", paramLabel = "K/N",
            description = "Compute only share K of N of the missing tiles (shares may run side by side on machines sharing"
                    + " the folder); without it, everything missing is computed and the surface drawn.")
    String tiles;

    @Option(names = "--engine", hidden = true, defaultValue = "local",
            description = "What computes the tiles, recorded with each (the Spark job passes spark).")
    String engine;

    @Override
    public Integer call() {
        RunService service = cli.injector(pluginOptions).getInstance(RunService.class);
        return service.resume(runDir, new RunService.TileJob(RunCommand.share(tiles), engine)).report(cli.out());
    }
}
