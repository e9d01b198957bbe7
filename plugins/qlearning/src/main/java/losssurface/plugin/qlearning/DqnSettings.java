package losssurface.plugin.qlearning;

import java.util.Set;

import losssurface.api.Check;
import losssurface.api.Settings;
import losssurface.api.SettingsException;

/**
 * Settings of the {@code dqn} trainer only (keys {@code dqn.*}).
 *
 * @param replay         {@code dqn.replay}: capacity of the replay memory in transitions, default 50000
 * @param batchSize      {@code dqn.batch-size}: transitions per gradient step, drawn uniformly from the memory, default 64
 * @param targetSync     {@code dqn.target-sync}: steps between copies of the network into the target network, default 500
 * @param loss           {@code dqn.loss}: {@code huber} (TD errors clipped to [-1, 1], default) or {@code mse}
 * @param learningStarts {@code dqn.learning-starts}: steps of pure collection before the first gradient step, default 1000
 * @param trainEvery     {@code dqn.train-every}: steps between gradient steps, default 1
 */
record DqnSettings(int replay, int batchSize, int targetSync, String loss, int learningStarts, int trainEvery) {

    static final String REPLAY = "dqn.replay";
    static final String BATCH = "dqn.batch-size";
    static final String TARGET_SYNC = "dqn.target-sync";
    static final String LOSS = "dqn.loss";
    static final String LEARNING_STARTS = "dqn.learning-starts";
    static final String TRAIN_EVERY = "dqn.train-every";

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
    }

    static DqnSettings read(Settings s) {
        return new DqnSettings(
                s.integer(REPLAY, 50_000),
                s.integer(BATCH, 64),
                s.integer(TARGET_SYNC, 500),
                s.choice(LOSS, HUBER, Set.of(HUBER, MSE)),
                s.integer(LEARNING_STARTS, 1000),
                s.integer(TRAIN_EVERY, 1));
    }
}
