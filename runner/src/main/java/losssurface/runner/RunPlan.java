package losssurface.runner;

import java.util.List;

import losssurface.api.Check;
import losssurface.api.ProbeProvider;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;
import losssurface.api.Task;
import losssurface.api.TaskProvider;
import losssurface.api.Trainer;
import losssurface.api.TrainerProvider;
import losssurface.runs.Analysis;
import losssurface.runs.SurfaceJob;

/**
 * The first stage of a run: every plugin created from the settings, the settings checked (unknown
 * keys, the trainer's pairing with the task, the surface's size), so that bad input fails before
 * any work.
 *
 * @param task         the task's provider and the task
 * @param trainer      the trainer's provider and the trainer
 * @param probe        the probe's provider and the probe
 * @param renderers    the renderers, in the order they run
 * @param surfaceJob   the surface job with the run's {@code surface.*} settings
 * @param analysis     the analysis stage with the run's {@code curvature*} and {@code sharpness*} settings
 * @param threads      the run's {@value RunContext#THREADS}
 */
record RunPlan(Named<TaskProvider, Task> task, Named<TrainerProvider, Trainer> trainer, Named<ProbeProvider, SurfaceProbe> probe,
               Renderers.Chosen renderers, SurfaceJob surfaceJob, Analysis analysis, int threads) {

    /** A provider and what it created. */
    record Named<P, T>(P provider, T created, String name) {
    }

    /** The run folder's name before its time stamp: task, trainer and probe. */
    String baseName() {
        return task.name() + "_" + trainer.name() + "_" + probe.name();
    }

    /** The surface job with {@code settings}' {@code surface.*} keys and every evaluator of {@code plugins}. */
    static SurfaceJob surfaceJob(Plugins plugins, Settings settings) {
        return new SurfaceJob(plugins.of(Kind.EVALUATOR).stream().map(Plugin::provider).toList(), SurfaceJob.Config.read(settings));
    }

    /** Creates the plugins and checks everything that can be checked before training. */
    static final class Planner {
        private final Plugins plugins;
        private final Renderers renderers;

        Planner(Plugins plugins, Renderers renderers) {
            this.plugins = plugins;
            this.renderers = renderers;
        }

        RunPlan plan(RunRequest request) {
            Settings settings = request.settings();
            TaskProvider taskProvider = plugins.find(Kind.TASK, request.task()).provider();
            TrainerProvider trainerProvider = plugins.find(Kind.TRAINER, request.trainer()).provider();
            ProbeProvider probeProvider = plugins.find(Kind.PROBE, request.probe()).provider();
            Task task = taskProvider.create(settings.forOwner("task " + taskProvider.name()));
            Trainer trainer = trainerProvider.create(settings.forOwner("trainer " + trainerProvider.name()));
            SurfaceProbe probe = probeProvider.create(settings.forOwner("probe " + probeProvider.name()));
            Renderers.Chosen chosen = renderers.create(request.renderers(), settings);
            int threads = threads(settings);
            SurfaceJob job = surfaceJob(settings);
            Analysis analysis = new Analysis(Analysis.Config.read(settings));
            settings.requireAllKnown();
            job.requireSize(probe);
            if (!trainerProvider.taskType().isInstance(task)) {
                List<String> fit = plugins.of(Kind.TRAINER).stream().map(Plugin::provider)
                        .filter(t -> t.taskType().isInstance(task)).map(TrainerProvider::name).sorted().toList();
                throw new UsageException("Trainer '" + trainerProvider.name() + "' cannot train task '" + taskProvider.name()
                        + "': it trains " + trainerProvider.taskType().getSimpleName() + "s. "
                        + (fit.isEmpty() ? "No trainer here fits that task." : "Trainers that fit '" + taskProvider.name() + "': "
                        + String.join(", ", fit) + "."));
            }
            return new RunPlan(new Named<>(taskProvider, task, taskProvider.name()),
                    new Named<>(trainerProvider, trainer, trainerProvider.name()),
                    new Named<>(probeProvider, probe, probeProvider.name()), chosen, job, analysis, threads);
        }

        /** The probe of a saved model and the rest of the plan that does not train. */
        Named<ProbeProvider, SurfaceProbe> probe(String name, Settings settings) {
            ProbeProvider provider = plugins.find(Kind.PROBE, name).provider();
            return new Named<>(provider, provider.create(settings.forOwner("probe " + provider.name())), provider.name());
        }

        /** The surface job with the run's {@code surface.*} settings and every installed evaluator. */
        SurfaceJob surfaceJob(Settings settings) {
            return RunPlan.surfaceJob(plugins, settings);
        }

        /** The run's {@value RunContext#THREADS} setting: worker threads, one per core by default. */
        static int threads(Settings settings) {
            return Check.between(RunContext.THREADS, 1, 4096,
                    settings.forOwner("run").integer(RunContext.THREADS, RunContext.cores()));
        }
    }
}
