package losssurface.plugin.supervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import losssurface.api.Objective;
import losssurface.api.ParameterBlock;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.Task;
import losssurface.api.TaskProvider;
import losssurface.api.TrainedModel;
import losssurface.api.TrainerProvider;
import losssurface.nn.SupervisedTask;

class SupervisedTrainerTest {

    static Task task(Map<String, String> settings) {
        return new RegressionTaskProvider().create(Settings.of(settings));
    }

    static TrainedModel train(Map<String, String> task, Map<String, String> trainer, long seed) {
        return new SupervisedTrainerProvider().create(Settings.of(trainer)).train(task(task), RunContext.quiet(seed));
    }

    @Test
    void serviceLoaderFindsExactlyThisModulesPlugins() {
        assertThat(ServiceLoader.load(TrainerProvider.class).stream().map(p -> p.get().name()).toList())
                .containsExactly("supervised");
        assertThat(ServiceLoader.load(TaskProvider.class).stream().map(p -> p.get().name()).toList())
                .containsExactly("regression");
        assertThat(new SupervisedTrainerProvider().taskType()).isEqualTo(SupervisedTask.class);
    }

    @Test
    void trainingLowersTheTestLossAndKeepsASnapshotPerEpoch() {
        TrainedModel model = train(Map.of("regression.samples", "400"), Map.of("supervised.epochs", "30"), 1);
        double[] testLoss = model.history().series().get("test-loss");
        assertThat(testLoss).hasSize(30);
        assertThat(testLoss[29]).isLessThan(testLoss[0] / 3);
        assertThat(model.checkpoints()).hasSize(31);
        assertThat(model.checkpoints().get(30)).isEqualTo(model.parameters());
        assertThat(model.checkpoints().get(0)).isNotEqualTo(model.parameters());
        assertThat(model.summary()).containsKeys("test-loss", "train-seconds", "epochs").containsEntry("epochs", 30);
        // the layout is DL4J's: 0_W [2, 16] f-order, 0_b, 1_W, 1_b, 2_W [16, 1], 2_b
        assertThat(model.layout().blocks()).extracting(ParameterBlock::name)
                .containsExactly("0_W", "0_b", "1_W", "1_b", "2_W", "2_b");
        assertThat(model.layout().blocks().get(0).shape()).containsExactly(2, 16);
        assertThat(model.layout().blocks().get(0).activation()).isEqualTo("tanh");
        assertThat(model.layout().size()).isEqualTo(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
    }

    @Test
    void theObjectiveAtThetaStarIsTheReportedTestLoss() {
        Task task = task(Map.of("regression.samples", "200"));
        TrainedModel model = new SupervisedTrainerProvider().create(Settings.of(Map.of("supervised.epochs", "5")))
                .train(task, RunContext.quiet(3));
        Objective objective = task.objective(model, RunContext.quiet(3));
        assertThat(objective.metrics()).containsExactly("loss");
        double atCentre = objective.evaluate(model.parameters())[0];
        assertThat(atCentre).isCloseTo((double) model.summary().get("test-loss"), org.assertj.core.api.Assertions.within(1e-9));
        float[] far = model.parameters();
        for (int i = 0; i < far.length; i++) {
            far[i] *= 3;
        }
        assertThat(objective.evaluate(far)[0]).isGreaterThan(atCentre);
        // evaluating does not change the trained network
        assertThat(objective.evaluate(model.parameters())[0]).isEqualTo(atCentre);
    }

    @Test
    void sameSeedGivesTheSameNetwork() {
        TrainedModel a = train(Map.of("regression.samples", "200"), Map.of("supervised.epochs", "3"), 11);
        TrainedModel b = train(Map.of("regression.samples", "200"), Map.of("supervised.epochs", "3"), 11);
        TrainedModel c = train(Map.of("regression.samples", "200"), Map.of("supervised.epochs", "3"), 12);
        assertThat(a.parameters()).isEqualTo(b.parameters());
        assertThat(c.parameters()).isNotEqualTo(a.parameters());
    }

    @Test
    void badSettingsSayWhatIsAllowed() {
        assertThatThrownBy(() -> new SupervisedTrainerProvider().create(Settings.of(Map.of("supervised.epochs", "0"))))
                .isInstanceOf(SettingsException.class).hasMessage("supervised.epochs must be between 1 and 100000, was 0.");
        assertThatThrownBy(() -> new SupervisedTrainerProvider().create(Settings.of(Map.of("supervised.learning-rate", "NaN"))))
                .hasMessageContaining("supervised.learning-rate must be between");
        assertThatThrownBy(() -> new SupervisedTrainerProvider().create(Settings.of(Map.of("supervised.batch-size", "x"))))
                .hasMessage("supervised.batch-size must be a whole number, was 'x'.");
        assertThatThrownBy(() -> train(Map.of("regression.samples", "40"), Map.of("supervised.batch-size", "100"), 1))
                .isInstanceOf(SettingsException.class)
                .hasMessage("supervised.batch-size is 100 but 30 examples are left for training. Choose a batch size between 1 and 30.");
        assertThatThrownBy(() -> train(Map.of("regression.samples", "40"), Map.of("supervised.validation", "25",
                "supervised.batch-size", "8"), 1))
                .isInstanceOf(SettingsException.class)
                .hasMessage("supervised.batch-size is 8 but 5 examples are left for training (after holding out 25 for"
                        + " validation). Choose a batch size between 1 and 5.");
        assertThatThrownBy(() -> train(Map.of("regression.samples", "40"), Map.of("supervised.validation", "30"), 1))
                .isInstanceOf(SettingsException.class)
                .hasMessage("supervised.validation is 30 but the training set has only 30 examples. Hold out fewer"
                        + " (0 to 29; 0 makes theta* the last epoch).");
        assertThatThrownBy(() -> new SupervisedTrainerProvider().create(Settings.of(Map.of("supervised.engine", "gpu"))))
                .hasMessage("supervised.engine must be one of auto, dense, dl4j, own, was 'gpu'.");
        assertThatThrownBy(() -> task(Map.of("regression.hidden", "16,0")))
                .hasMessageContaining("regression.hidden sizes must be between 1 and");
        assertThatThrownBy(() -> task(Map.of("regression.hidden", "a")))
                .hasMessage("regression.hidden must be a whole number, was 'a'.");
    }

    @Test
    void settingsReadByThePluginsAreTheKnownKeys() {
        Settings settings = Settings.of(Map.of("supervised.epoch", "3"));
        new SupervisedTrainerProvider().create(settings.forOwner("trainer supervised"));
        new RegressionTaskProvider().create(settings.forOwner("task regression"));
        assertThat(settings.unreadKeys()).containsExactly("supervised.epoch");
        assertThatThrownBy(settings::requireAllKnown).isInstanceOf(SettingsException.class)
                .hasMessageContaining("Unknown setting 'supervised.epoch'")
                .hasMessageContaining("trainer supervised: supervised.batch-size (default the task's), supervised.engine"
                        + " (default auto), supervised.epochs")
                .hasMessageContaining("task regression: regression.hidden (default 16,16), regression.noise (default 0.05)");
    }

    @Test
    void thetaStarIsTheEpochWithTheLowestValidationLoss() {
        TrainedModel model = train(Map.of("regression.samples", "300"), Map.of("supervised.epochs", "12",
                "supervised.validation", "60", "supervised.learning-rate", "0.05"), 4);
        double[] validation = model.history().series().get("validation-loss");
        assertThat(validation).hasSize(12);
        int best = 0;
        for (int e = 1; e < validation.length; e++) {
            if (validation[e] < validation[best]) {
                best = e;
            }
        }
        assertThat(model.summary()).containsEntry("theta-star-epoch", best + 1).containsEntry("validation-examples", 60)
                .containsEntry("train-examples", 225 - 60).containsEntry("engine", "dense");
        assertThat(model.parameters()).isEqualTo(model.checkpoints().get(best + 1));
        assertThat((double) model.summary().get("test-loss")).isEqualTo(model.history().series().get("test-loss")[best]);
    }

    @Test
    void theEngineAndDl4jsFitTakeTheSameSteps() {
        Map<String, String> task = Map.of("regression.samples", "200");
        TrainedModel dense = train(task, Map.of("supervised.epochs", "4", "supervised.engine", "own"), 8);
        TrainedModel dl4j = train(task, Map.of("supervised.epochs", "4", "supervised.engine", "dl4j"), 8);
        assertThat(dense.summary()).containsEntry("engine", "dense").doesNotContainKey("engine-reason");
        assertThat(dl4j.summary()).containsEntry("engine", "dl4j").containsEntry("engine-reason", "chosen with supervised.engine=dl4j");
        float[] a = dense.parameters();
        float[] b = dl4j.parameters();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += b[i] * (double) b[i];
        }
        assertThat(Math.sqrt(diff / norm)).isLessThan(1e-5);
    }
}
