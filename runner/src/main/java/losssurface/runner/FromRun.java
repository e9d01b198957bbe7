package losssurface.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.TrainedModel;
import losssurface.runs.RunFolder;
import losssurface.runs.RunState;

/** {@code run --from RUN_DIR}: a run that draws the model another run trained, checked before any work. */
final class FromRun {

    private final Progress progress;

    FromRun(Progress progress) {
        this.progress = progress;
    }

    /**
     * The checks of {@code run --from}, before any work: {@code from} is a run folder, of the same task and trainer,
     * trained with the same trainer settings.
     */
    void check(Path from, RunPlan plan, RunRequest request) {
        RunState.Request other = RunState.read(from).map(RunState::request).orElseThrow(() -> new UsageException("--from "
                + from + (Files.isDirectory(from) ? " is not a run folder (it has no " + RunFolder.STATE + ")."
                : " does not exist.") + " Name the folder of a run whose model to draw again."));
        if (!other.task().equals(plan.task().name()) || !other.trainer().equals(plan.trainer().name())) {
            throw new UsageException("--from " + from + " was trained by task '" + other.task() + "' and trainer '"
                    + other.trainer() + "', but this run asks for task '" + plan.task().name() + "' and trainer '"
                    + plan.trainer().name() + "'. Ask for the same task and trainer, or leave --from out to train.");
        }
        // the trainer's training settings made the model: they must be the same; the task's may choose only what it is
        // drawn on (e.g. mnist.eval), and a model that no longer fits the task's network is refused by the restore
        Map<String, String> trainerSettings = new java.util.TreeMap<>(plan.trainer().provider().settings());
        trainerSettings.keySet().retainAll(plan.trainer().provider().trainingSettings());
        List<String> training = differences(trainerSettings, other.settings(), request.settings().values());
        if (!training.isEmpty()) {
            throw new UsageException("--from " + from + " was trained with other trainer settings: " + String.join("; ", training)
                    + ". Give the same trainer settings, or leave --from out to train.");
        }
        List<String> task = differences(plan.task().provider().settings(), other.settings(), request.settings().values());
        if (!task.isEmpty()) {
            progress.info("The task's settings differ from the run that trained the model (" + String.join("; ", task)
                    + "); the model is drawn as it was trained.");
        }
    }

    /**
     * The train stage of {@code run --from} ({@link #check} first): the model another run kept, restored by this
     * run's trainer and kept in this run's folder too (so that it resumes on its own).
     */
    TrainedModel restore(Path from, RunPlan plan, Path runDir, RunContext context, Map<String, Double> timings) {
        long t0 = System.nanoTime();
        TrainedModel model = RunFolder.readTrained(from)
                .flatMap(saved -> plan.trainer().created().restore(plan.task().created(), saved, context))
                .orElseThrow(() -> new UsageException("--from " + from + " keeps no trained model that trainer '"
                        + plan.trainer().name() + "' can restore (training had not ended, or the trainer cannot restore)."
                        + " Leave --from out to train."));
        progress.info("Trained model restored from " + from.resolve(RunFolder.TRAINED) + ": no training needed.");
        timings.put("restore", Drawer.seconds(t0));
        RunFolders.keepTrained(model, runDir);
        return model;
    }

    /** The settings of {@code known} (keys with their defaults) whose values differ between {@code there} and {@code here}. */
    private static List<String> differences(Map<String, String> known, Map<String, String> there, Map<String, String> here) {
        List<String> out = new ArrayList<>();
        known.forEach((k, v) -> {
            String a = there.getOrDefault(k, v);
            String b = here.getOrDefault(k, v);
            if (!a.equals(b)) {
                out.add(k + "=" + a + " there, " + b + " here");
            }
        });
        return out;
    }
}
