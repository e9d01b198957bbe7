package losssurface.plugin.qlearning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import losssurface.api.EnvironmentTask;
import losssurface.api.Objective;
import losssurface.api.ParameterBlock;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.TrainerProvider;
import losssurface.rl.QModel;
import losssurface.rl.Rollouts;
import losssurface.rl.TdObjective;

class QLearningTrainerTest {

    static final EnvironmentTask CHAIN = new ChainWalk.Task();

    /** Small settings that learn the chain in a second. */
    static Map<String, String> chain(String... extra) {
        Map<String, String> s = new HashMap<>(Map.of("q.steps", "1500", "q.hidden", "16", "q.learning-rate", "0.003",
                "q.epsilon-decay-steps", "600", "q.eval-episodes", "10", "q.gamma", "0.9"));
        // read by dqn only
        s.putAll(Map.of("dqn.train-every", "1", "dqn.learning-starts", "100", "dqn.batch-size", "16", "dqn.target-sync", "50",
                "dqn.gradient-steps", "1", "q.epsilon-end", "0.05"));
        // the surface: td-frozen over 500 transitions of seed 7
        s.putAll(Map.of("rl.transitions", "500", "rl.episodes", "4", "rl.seed", "7"));
        for (int i = 0; i < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    static QModel train(TrainerProvider provider, Map<String, String> settings, long seed) {
        return (QModel) provider.create(Settings.of(settings)).train(CHAIN, RunContext.quiet(seed));
    }

    @Test
    void serviceLoaderFindsExactlyThisModulesTrainers() {
        assertThat(ServiceLoader.load(TrainerProvider.class).stream().map(p -> p.get().name()).sorted().toList())
                .containsExactly("dqn", "q-network");
        assertThat(new DqnTrainerProvider().taskType()).isEqualTo(EnvironmentTask.class);
        assertThat(new QNetworkTrainerProvider().taskType()).isEqualTo(EnvironmentTask.class);
    }

    @Test
    void bothTrainersLearnASecondEnvironmentWithoutChange() {
        for (TrainerProvider provider : List.of(new QNetworkTrainerProvider(), new DqnTrainerProvider())) {
            QModel model = train(provider, chain("dqn.learning-starts", "100", "dqn.batch-size", "16", "dqn.target-sync", "50"), 1);
            assertThat((double) model.summary().get("eval-return-mean")).as(provider.name())
                    .isCloseTo(optimalReturn(900_000, 10), within(1e-12));
            assertThat(model.summary()).containsEntry("solved", true).containsEntry("trainer", provider.name())
                    .containsEntry("training-steps", 1500).containsKeys("train-seconds", "env-steps-per-second", "eval-return-std");
            assertThat(model.history().xLabel()).isEqualTo("episode");
            assertThat(model.history().series()).containsOnlyKeys("return", "td-loss", "episode-length", "epsilon");
            double[] returns = model.history().series().get("return");
            assertThat(returns.length).isEqualTo((long) model.summary().get("training-episodes"));
            assertThat(model.history().series().get("td-loss")).hasSize(returns.length);
            // 20 checkpoints over training plus the initial parameters; the last is theta*
            assertThat(model.checkpoints()).hasSize(21);
            assertThat(model.checkpoints().get(20)).isEqualTo(model.parameters());
            assertThat(model.gamma()).isEqualTo(0.9);
            assertThat(model.layout().blocks()).extracting(ParameterBlock::name).containsExactly("0_W", "0_b", "1_W", "1_b");
            assertThat(model.layout().blocks().get(0).shape()).containsExactly(5, 16);
            assertThat(model.layout().blocks().get(2).shape()).containsExactly(16, 2);
        }
    }

    @Test
    void bothTrainersStartFromTheSameNetworkAndAreReproducible() {
        QModel q = train(new QNetworkTrainerProvider(), chain("q.steps", "300"), 5);
        QModel d = train(new DqnTrainerProvider(), chain("q.steps", "300", "dqn.learning-starts", "100", "dqn.batch-size", "16"), 5);
        assertThat(q.checkpoints().get(0)).isEqualTo(d.checkpoints().get(0));
        assertThat(q.layout()).isEqualTo(d.layout());
        QModel again = train(new DqnTrainerProvider(), chain("q.steps", "300", "dqn.learning-starts", "100", "dqn.batch-size", "16"), 5);
        assertThat(again.parameters()).isEqualTo(d.parameters());
        assertThat(again.history().series().get("return")).isEqualTo(d.history().series().get("return"));
        QModel other = train(new QNetworkTrainerProvider(), chain("q.steps", "300"), 6);
        assertThat(other.checkpoints().get(0)).isNotEqualTo(q.checkpoints().get(0));
    }

    @Test
    void theRlObjectivesWorkOnTheTrainedChainAgent() {
        QModel model = train(new DqnTrainerProvider(), chain("dqn.learning-starts", "100", "dqn.batch-size", "16", "dqn.target-sync", "50"), 2);
        Objective td = CHAIN.objective(model, RunContext.quiet(2));
        assertThat(td).isInstanceOf(TdObjective.class);
        double[] atCentre = td.evaluate(model.parameters());
        assertThat(atCentre[0]).isLessThan(0.05);
        Rollouts.Result greedy = Rollouts.greedy(model.network(), ChainWalk::new, 7, 4, 100);
        assertThat(greedy.meanReturn()).isCloseTo(optimalReturn(7, 4), within(1e-12));
    }

    /** Mean return of always walking right over the episodes of seeds first .. first + n - 1. */
    static double optimalReturn(long first, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            ChainWalk env = new ChainWalk();
            env.reset(first + i);
            losssurface.api.Environment.Step step;
            do {
                step = env.step(1);
                sum += step.reward();
            } while (!step.done());
        }
        return sum / n;
    }

    @Test
    void badSettingsNameTheKeyAndTheRule() {
        assertThatThrownBy(() -> new DqnTrainerProvider().create(Settings.of(Map.of("q.steps", "0"))))
                .isInstanceOf(SettingsException.class).hasMessage("q.steps must be between 1 and 100000000, was 0.");
        assertThatThrownBy(() -> new QNetworkTrainerProvider().create(Settings.of(Map.of("q.gamma", "1.5"))))
                .hasMessage("q.gamma must be between 0.0 and 1.0, was 1.5.");
        assertThatThrownBy(() -> new QNetworkTrainerProvider().create(Settings.of(Map.of("q.hidden", "64,x"))))
                .hasMessage("q.hidden must be a whole number, was 'x'.");
        assertThatThrownBy(() -> new QNetworkTrainerProvider().create(Settings.of(Map.of("q.hidden", "64,0"))))
                .hasMessage("q.hidden sizes must be between 1 and 100000, was 0.");
        assertThatThrownBy(() -> new QNetworkTrainerProvider().create(Settings.of(Map.of("q.epsilon-end", "0.5", "q.epsilon-start", "0.2"))))
                .hasMessage("q.epsilon-end (0.5) must not exceed q.epsilon-start (0.2); exploration decays from start to end.");
        assertThatThrownBy(() -> new QNetworkTrainerProvider().create(Settings.of(Map.of("q.learning-rate", "-1"))))
                .hasMessage("q.learning-rate must be between 1.0E-9 and 10.0, was -1.0.");
        assertThatThrownBy(() -> new QNetworkTrainerProvider().create(Settings.of(Map.of("q.steps", "10", "q.checkpoints", "20"))))
                .hasMessage("q.checkpoints is 20 but training has only 10 steps (q.steps). Choose at most one checkpoint per step.");
        assertThatThrownBy(() -> new DqnTrainerProvider().create(Settings.of(Map.of("dqn.loss", "l1"))))
                .hasMessage("dqn.loss must be one of huber, mse, was 'l1'.");
        assertThatThrownBy(() -> new DqnTrainerProvider().create(Settings.of(Map.of("dqn.batch-size", "128", "dqn.replay", "100"))))
                .hasMessage("dqn.batch-size (128) must not exceed dqn.replay (100): a minibatch is drawn from the memory.");
        assertThatThrownBy(() -> new DqnTrainerProvider().create(Settings.of(Map.of("dqn.target-sync", "0"))))
                .hasMessage("dqn.target-sync must be between 1 and 100000000, was 0.");
        assertThatThrownBy(() -> new DqnTrainerProvider().create(Settings.of(Map.of("dqn.double", "maybe"))))
                .hasMessage("dqn.double must be true or false, was 'maybe'.");
        assertThatThrownBy(() -> new DqnTrainerProvider().create(Settings.of(Map.of("q.validation-seed", "900050"))))
                .hasMessage("The validation episodes (q.validation-seed 900050, 10 episodes) overlap the evaluation episodes "
                        + "(q.eval-seed 900000, 100 episodes). Choose seeds apart, so the evaluation is not the one that picked theta*.");
    }

    @Test
    void eachTrainerDeclaresItsKeysWithDefaults() {
        Settings s = Settings.of(Map.of("dqn.replay", "1000", "q.stepz", "5"));
        new DqnTrainerProvider().create(s.forOwner("trainer dqn"));
        assertThat(s.unreadKeys()).containsExactly("q.stepz");
        assertThat(s.knownKeys().get("trainer dqn")).containsEntry("q.hidden", "64,64").containsEntry("q.gamma", "0.99")
                .containsEntry("q.steps", "100000").containsEntry("dqn.replay", "100000").containsEntry("dqn.loss", "mse")
                .containsEntry("dqn.batch-size", "64").containsEntry("dqn.train-every", "256").containsEntry("q.learning-rate", "0.0023")
                .containsEntry("dqn.target-sync", "10").containsEntry("dqn.gradient-steps", "128").containsEntry("q.epsilon-end", "0.04").containsKeys("q.learning-rate", "q.epsilon-start", "q.epsilon-end",
                        "q.epsilon-decay-steps", "q.eval-episodes", "q.eval-seed", "q.checkpoints", "q.validation-every",
                        "q.validation-episodes", "q.validation-seed", "dqn.target-sync", "dqn.learning-starts",
                        "dqn.gradient-steps", "dqn.double");
        Settings t = Settings.empty();
        new QNetworkTrainerProvider().create(t.forOwner("trainer q-network"));
        // q-network keeps its plainer defaults: it is the baseline DQN is compared with
        assertThat(t.knownKeys().get("trainer q-network")).containsEntry("q.steps", "500000").containsEntry("q.learning-rate", "2.5E-4");
        assertThat(t.knownKeys().get("trainer q-network").keySet()).allMatch(k -> k.startsWith("q.") || k.startsWith("rl."));
    }

    @Test
    void epsilonDecaysLinearlyThenStays() {
        QSettings q = QSettings.read(Settings.of(Map.of("q.epsilon-decay-steps", "100", "q.epsilon-end", "0.1")));
        assertThat(q.epsilon(0)).isEqualTo(1.0);
        assertThat(q.epsilon(50)).isCloseTo(0.55, within(1e-12));
        assertThat(q.epsilon(100)).isEqualTo(0.1);
        assertThat(q.epsilon(10_000)).isEqualTo(0.1);
    }
}
