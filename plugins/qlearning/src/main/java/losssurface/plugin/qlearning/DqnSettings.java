package losssurface.plugin.qlearning;

import java.util.Set;

import losssurface.api.Check;
import losssurface.api.Settings;
import losssurface.api.SettingsException;

/**
 * Settings of the {@code dqn} trainer only (keys {@code dqn.*}). The defaults follow RL Baselines3
 * Zoo's tuned CartPole-v1 DQN (with our 64,64 network): they solve CartPole-v1 within 100,000 steps.
 *
 * @param replay         {@code dqn.replay}: capacity of the replay memory in transitions, default 100000
 * @param batchSize      {@code dqn.batch-size}: transitions per gradient step, drawn uniformly from the memory, default 64
 * @param targetSync     {@code dqn.target-sync}: steps between copies of the network into the target network, default 10
 * @param loss           {@code dqn.loss}: {@code mse} (squared TD error, default) or {@code huber} (Huber loss with delta 1)
 * @param learningStarts {@code dqn.learning-starts}: steps of pure collection before the first gradient step, default 1000
 * @param trainEvery     {@code dqn.train-every}: steps between training rounds, default 256
 * @param gradientSteps  {@code dqn.gradient-steps}: gradient steps (minibatches) per training round, default 128
 * @param doubleQ        {@code dqn.double}: Double DQN targets (the network picks a', the target network values it), default false
 */
record DqnSettings(int replay, int batchSize, int targetSync, String loss, int learningStarts, int trainEvery,
                   int gradientSteps, boolean doubleQ) {

    static final String REPLAY = "dqn.replay";
    static final String BATCH = "dqn.batch-size";
    static final String TARGET_SYNC = "dqn.target-sync";
    static final String LOSS = "dqn.loss";
    static final String LEARNING_STARTS = "dqn.learning-starts";
    static final String TRAIN_EVERY = "dqn.train-every";
    static final String GRADIENT_STEPS = "dqn.gradient-steps";
    static final String DOUBLE = "dqn.double";

    static final String HUBER = "huber";
    static final String MSE = "mse";

    DqnSettings {
        Check.between(REPLAY, 1, 100_000_000, replay);
        Check.between(BATCH, 1, 65_536, batchSize);
        if (batchSize > replay) {
            throw new SettingsException(BATCH + " (" + batchSize + ") must not exceed " + REPLAY + " (" + replay
                    + "): a minibatch is drawn from the memory.");
        }
        Check.between(TARGET_SYNC, 1, 100_000_000, targetSync);
        if (!HUBER.equals(loss) && !MSE.equals(loss)) {
            throw new SettingsException(LOSS + " must be one of huber, mse, was '" + loss + "'.");
        }
        Check.between(LEARNING_STARTS, 0, 100_000_000, learningStarts);
        Check.between(TRAIN_EVERY, 1, 100_000, trainEvery);
        Check.between(GRADIENT_STEPS, 1, 100_000, gradientSteps);
    }

    static DqnSettings read(Settings s) {
        return new DqnSettings(
                s.integer(REPLAY, 100_000),
                s.integer(BATCH, 64),
                s.integer(TARGET_SYNC, 10),
                s.choice(LOSS, MSE, Set.of(HUBER, MSE)),
                s.integer(LEARNING_STARTS, 1_000),
                s.integer(TRAIN_EVERY, 256),
                s.integer(GRADIENT_STEPS, 128),
                s.flag(DOUBLE, false));
    }
}
