package losssurface.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.nd4j.linalg.dataset.DataSet;

import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ProbeProvider;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;
import losssurface.api.TrainedModel;
import losssurface.nn.DataFiles;
import losssurface.nn.Examples;
import losssurface.nn.SavedNetwork;
import losssurface.onnx.OnnxLoss;
import losssurface.onnx.OnnxModel;
import losssurface.onnx.OnnxObjective;
import losssurface.runs.SurfaceJob;

/**
 * {@code probe --model}: a model someone else trained and saved (an ONNX file or a DL4J zip,
 * told apart by name and first bytes), its objective over the examples of a data file, and the
 * surface, provenance and render stages of a run. A probe keeps no tiles: an error or a signal
 * before the numbers are written removes its folder, so nothing misleading is left.
 */
final class SavedModelProbe {

    private final RunPlan.Planner planner;
    private final Renderers renderers;
    private final Drawer drawer;
    private final Progress progress;

    @com.google.inject.Inject
    SavedModelProbe(Plugins plugins, Progress progress, RuntimeInfo runtime) {
        this.renderers = new Renderers(plugins);
        this.planner = new RunPlan.Planner(plugins, renderers);
        this.drawer = new Drawer(progress, runtime);
        this.progress = progress;
    }

    /** A model and its objective over the data file. */
    private record Opened(TrainedModel model, Objective objective) {
    }

    RunOutcome probe(ProbeSavedRequest request) {
        Settings settings = request.settings();
        RunPlan.Named<ProbeProvider, SurfaceProbe> probe = planner.probe(request.probe(), settings);
        Renderers.Chosen chosen = renderers.create(request.renderers(), settings);
        int threads = RunPlan.Planner.threads(settings);
        SurfaceJob surfaceJob = planner.surfaceJob(settings);
        settings.requireAllKnown();
        surfaceJob.requireSize(probe.created());

        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Opened opened = open(request);
        timings.put("load", Drawer.seconds(t0));

        String base = request.model().getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        Path runDir = RunFolders.create(request.out(), base + "_" + probe.name());
        progress.info("Run folder: " + runDir);
        RunContext context = new RunContext(request.seed(), progress, request.cacheDir(), threads);
        Map<String, Object> plugins = new LinkedHashMap<>();
        plugins.put("model-file", request.model().toAbsolutePath().toString());
        plugins.put("data-file", request.data().toAbsolutePath().toString());
        AtomicBoolean finished = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            if (!finished.get()) {
                RunFolders.deleteQuietly(runDir);
                progress.info("");
                progress.info("Interrupted while probing " + request.model() + "; a probe keeps no partial surface, so " + runDir
                        + " was removed. Run the probe again.");
            }
        }, "probe-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return drawer.draw(new Drawer.Drawing(new Drawer.Names("saved-model", "none", probe.name()), plugins, probe.created(),
                    surfaceJob, chosen, settings, opened.model(), opened.objective(), context, runDir, timings, "", null,
                    RunService.TileJob.LOCAL));
        } catch (RuntimeException e) {
            RunFolders.deleteQuietly(runDir);
            throw e;
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** Reads the data file and the model, and makes the objective. */
    private Opened open(ProbeSavedRequest request) {
        DataFiles.Loaded loaded = DataFiles.examples(request.data(), request.labelColumn(), request.nonFinite());
        Examples examples = loaded.examples();
        if (loaded.dropped() > 0) {
            progress.info("Left out " + loaded.dropped() + " of " + (examples.count() + loaded.dropped()) + " examples that hold a "
                    + "NaN or infinity (--non-finite drop); the first: " + loaded.firstDropped());
        }
        String dataName = examples.count() + " examples of " + request.data().getFileName();
        if (isOnnx(request.model())) {
            OnnxModel onnx = loadOnnx(request.model());
            OnnxObjective o = OnnxObjective.of(onnx, examples, request.loss(), request.batch(), dataName);
            progress.info("Loaded ONNX model " + request.model() + " (" + onnx.layout().size() + " parameters in "
                    + onnx.layout().blocks().size() + " tensors) and " + examples.count() + " examples of shape "
                    + java.util.Arrays.toString(examples.exampleShape()) + " from " + request.data()
                    + (o.notes().isEmpty() ? "" : "; " + o.notes()));
            return new Opened(onnx, o);
        }
        if (request.loss() != OnnxLoss.AUTO) {
            throw new UsageException("--loss applies to ONNX models; a DL4J network is scored with its output layer's loss. "
                    + "Leave --loss out.");
        }
        SavedNetwork network = SavedNetwork.load(request.model());
        DataSet data = DataFiles.dataSet(examples, request.labelColumn(), network.inputs(), network.outputs(), network.classifier());
        progress.info("Loaded " + network.type() + " " + request.model() + " (" + network.summary().get("parameters")
                + " parameters) and " + data.numExamples() + " examples from " + request.data());
        return new Opened(network, network.objective(data, dataName));
    }

    /** An ONNX file: named .onnx, or an existing file that is not a zip (DL4J models are zips). */
    private static boolean isOnnx(Path model) {
        if (onnxName(model)) {
            return true;
        }
        try (java.io.InputStream in = Files.newInputStream(model)) {
            byte[] head = in.readNBytes(2);
            return !(head.length == 2 && head[0] == 'P' && head[1] == 'K');
        } catch (IOException e) {
            return false; // let the DL4J loader name the problem
        }
    }

    private static boolean onnxName(Path model) {
        return model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    /** Loads an ONNX model; a file not named .onnx that is not one either is named as neither format. */
    private static OnnxModel loadOnnx(Path model) {
        try {
            return OnnxModel.load(model);
        } catch (LossSurfaceException e) {
            if (onnxName(model)) {
                throw e;
            }
            throw new LossSurfaceException("Model file " + model + " is not a DL4J model (not a zip) and not an ONNX model ("
                    + e.getMessage() + "). Give an .onnx file, or a network saved with ModelSerializer.writeModel.", e);
        }
    }
}
