package losssurface.runner;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Override
    public Integer call() {
        RunService service = cli.injector(pluginOptions).getInstance(RunService.class);
        return service.resume(runDir).report(cli.out());
    }
}
