package losssurface.runner;

import losssurface.runner.testing.InProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceProbe;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;
import losssurface.runs.SurfaceJob;

/** The draw stages close the objective (e.g. ONNX Runtime's sessions), whether the surface is drawn or fails. */
class DrawerTest {

    @TempDir
    Path tmp;

    /** A bowl that records being closed. */
    static final class Closing implements Objective {
        final AtomicBoolean closed = new AtomicBoolean();
        private final Objective bowl = Objective.of(ParameterLayout.flat(2), "loss", p -> p[0] * p[0] + p[1] * p[1]);

        @Override
        public ParameterLayout layout() {
            return bowl.layout();
        }

        @Override
        public List<String> metrics() {
            return bowl.metrics();
        }

        @Override
        public double[] evaluate(float[] parameters) {
            return bowl.evaluate(parameters);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    Drawer.Drawing drawing(SurfaceProbe probe, Objective objective) {
        TrainedModel model = TrainedModel.of(new float[2], ParameterLayout.flat(2), TrainingHistory.empty(), Map.of());
        return new Drawer.Drawing(new Drawer.Names("t", "tr", "line"), Map.of(), probe, SurfaceJob.plain(), losssurface.runs.Analysis.defaults(),
                new Renderers.Chosen(Map.of(), Set.of()), Settings.empty(), model, objective,
                new RunContext(1, Progress.silent(), tmp, 1), tmp, new LinkedHashMap<>(), "", null, RunService.TileJob.LOCAL);
    }

    @Test
    void theObjectiveIsClosedOnceTheSurfaceIsDrawnAndWhenItFails() {
        SurfaceProbe line = input -> new SurfacePlan(input.centre(), List.of(new Axis("alpha", "d", new double[] {-1, 1})),
                List.of(new Direction("direction-1", new float[] {1, 0})), List.of(), Map.of());
        Closing drawn = new Closing();
        RunOutcome outcome = new Drawer(Progress.silent(), new RuntimeInfo(List.of())).draw(drawing(line, drawn));
        assertThat(outcome.failures()).isEmpty();
        assertThat(drawn.closed).as("closed after drawing").isTrue();

        Closing failed = new Closing();
        SurfaceProbe broken = input -> {
            throw new IllegalStateException("probe failed");
        };
        assertThatThrownBy(() -> new Drawer(Progress.silent(), new RuntimeInfo(List.of())).draw(drawing(broken, failed)))
                .hasMessage("probe failed");
        assertThat(failed.closed).as("closed after a failure").isTrue();
    }

    @Test
    void theCommandLineFixesBlasThreadsAtOnePerWorkerAndListsEvaluatorsAndModelSources() {
        InProcess.Result list = MainTest.run("list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(NativeThreads.PER_WORKER);
        assertThat(list.out()).contains("Surface evaluators:").contains("fast-mlp").contains("fast-rollout")
                .contains("Model sources (probe --model):").contains("dl4j").contains("onnx");
    }
}
