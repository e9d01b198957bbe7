package losssurface.plugin.qlearning;

import java.util.List;

import losssurface.api.Check;
import losssurface.api.Settings;
import losssurface.api.SettingsException;

/**
 * Settings both Q-learning trainers share (keys {@code q.*}). Both have the same defaults, so a
 * {@code q-network} and a {@code dqn} run of the same seed start from the same network and their
 * surfaces can be compared.
 *
 * @param hidden            {@code q.hidden}: hidden layer sizes of the Q-network (ReLU), default 64,64
 * @param gamma             {@code q.gamma}: discount factor, default 0.99
 * @param steps             {@code q.steps}: environment steps of training, default 500000
 * @param learningRate      {@code q.learning-rate}: Adam's step size, default 2.5e-4
 * @param epsilonStart      {@code q.epsilon-start}: exploration rate at the first step, default 1
 * @param epsilonEnd        {@code q.epsilon-end}: exploration rate after the decay, default 0.05
 * @param epsilonDecaySteps {@code q.epsilon-decay-steps}: steps of the linear decay, default 250000
 * @param evalEpisodes      {@code q.eval-episodes}: greedy episodes of the final evaluation, default 100
 * @param evalSeed          {@code q.eval-seed}: evaluation episode i is reset with eval-seed + i, default 900000
 * @param checkpoints       {@code q.checkpoints}: parameter snapshots taken evenly over training (plus the initial one), default 20
 * @param validationEvery   {@code q.validation-every}: steps between greedy validations; the parameters of the best
 *                          validation are kept as theta* (0: keep the final parameters), default 10000
 * @param validationEpisodes {@code q.validation-episodes}: greedy episodes per validation, default 10
 * @param validationSeed    {@code q.validation-seed}: validation episode i is reset with validation-seed + i, default 800000
 *                          (apart from the evaluation episodes, so the final evaluation is not the one that chose)
 */
record QSettings(List<Integer> hidden, double gamma, int steps, double learningRate, double epsilonStart,
                 double epsilonEnd, int epsilonDecaySteps, int evalEpisodes, long evalSeed, int checkpoints,
                 int validationEvery, int validationEpisodes, long validationSeed) {

    static final String HIDDEN = "q.hidden";
    static final String GAMMA = "q.gamma";
    static final String STEPS = "q.steps";
    static final String RATE = "q.learning-rate";
    static final String EPS_START = "q.epsilon-start";
    static final String EPS_END = "q.epsilon-end";
    static final String EPS_DECAY = "q.epsilon-decay-steps";
    static final String EVAL_EPISODES = "q.eval-episodes";
    static final String EVAL_SEED = "q.eval-seed";
    static final String CHECKPOINTS = "q.checkpoints";
    static final String VALIDATION_EVERY = "q.validation-every";
    static final String VALIDATION_EPISODES = "q.validation-episodes";
    static final String VALIDATION_SEED = "q.validation-seed";

    QSettings {
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty()) {
            throw new SettingsException(HIDDEN + " must list at least one layer size, e.g. 64,64.");
        }
        hidden.forEach(h -> Check.between(HIDDEN + " sizes", 1, 100_000, h));
        Check.between(GAMMA, 0.0, 1.0, gamma);
        Check.between(STEPS, 1, 100_000_000, steps);
        Check.between(RATE, 1e-9, 10.0, learningRate);
        Check.between(EPS_START, 0.0, 1.0, epsilonStart);
        Check.between(EPS_END, 0.0, 1.0, epsilonEnd);
        if (epsilonEnd > epsilonStart) {
            throw new SettingsException(EPS_END + " (" + epsilonEnd + ") must not exceed " + EPS_START + " (" + epsilonStart
                    + "); exploration decays from start to end.");
        }
        Check.between(EPS_DECAY, 1, 100_000_000, epsilonDecaySteps);
        Check.between(EVAL_EPISODES, 1, 100_000, evalEpisodes);
        Check.between(CHECKPOINTS, 0, 10_000, checkpoints);
        if (checkpoints > steps) {
            throw new SettingsException(CHECKPOINTS + " is " + checkpoints + " but training has only " + steps + " steps ("
                    + STEPS + "). Choose at most one checkpoint per step.");
        }
        Check.between(VALIDATION_EVERY, 0, 100_000_000, validationEvery);
        Check.between(VALIDATION_EPISODES, 1, 100_000, validationEpisodes);
        if (validationEvery > 0 && validationSeed < evalSeed + evalEpisodes && evalSeed < validationSeed + validationEpisodes) {
            throw new SettingsException("The validation episodes (" + VALIDATION_SEED + " " + validationSeed + ", "
                    + validationEpisodes + " episodes) overlap the evaluation episodes (" + EVAL_SEED + " " + evalSeed + ", "
                    + evalEpisodes + " episodes). Choose seeds apart, so the evaluation is not the one that picked theta*.");
        }
    }

    /**
     * The defaults that differ between the trainers.
     *
     * @param steps             {@code q.steps}
     * @param learningRate      {@code q.learning-rate}
     * @param epsilonEnd        {@code q.epsilon-end}
     * @param epsilonDecaySteps {@code q.epsilon-decay-steps}
     */
    record Schedule(int steps, double learningRate, double epsilonEnd, int epsilonDecaySteps) {
        /** q-network, the plain baseline: 500,000 steps, Adam 2.5e-4, epsilon 1 to 0.05 over half the run. */
        static final Schedule Q_NETWORK = new Schedule(500_000, 2.5e-4, 0.05, 250_000);
        /**
         * dqn, after RL Baselines3 Zoo's tuned CartPole-v1 schedule: 100,000 steps, Adam 2.3e-3,
         * epsilon 1 to 0.04 over the first 16% (with dqn's replay, batch and target defaults).
         */
        static final Schedule DQN = new Schedule(100_000, 2.3e-3, 0.04, 16_000);
    }

    /** The settings with q-network's defaults. */
    static QSettings read(Settings s) {
        return read(s, Schedule.Q_NETWORK);
    }

    static QSettings read(Settings s, Schedule defaults) {
        return new QSettings(
                s.integers(HIDDEN, List.of(64, 64)),
                s.decimal(GAMMA, 0.99),
                s.integer(STEPS, defaults.steps()),
                s.decimal(RATE, defaults.learningRate()),
                s.decimal(EPS_START, 1.0),
                s.decimal(EPS_END, defaults.epsilonEnd()),
                s.integer(EPS_DECAY, defaults.epsilonDecaySteps()),
                s.integer(EVAL_EPISODES, 100),
                s.longValue(EVAL_SEED, 900_000L),
                s.integer(CHECKPOINTS, 20),
                s.integer(VALIDATION_EVERY, 10_000),
                s.integer(VALIDATION_EPISODES, 10),
                s.longValue(VALIDATION_SEED, 800_000L));
    }

    /** The exploration rate at {@code step} (0-based): linear from start to end over the decay steps, then end. */
    double epsilon(long step) {
        if (step >= epsilonDecaySteps) {
            return epsilonEnd;
        }
        return epsilonStart + (epsilonEnd - epsilonStart) * step / epsilonDecaySteps;
    }
}
