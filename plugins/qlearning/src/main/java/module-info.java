/**
 * The Q-learning trainers for any discrete-action environment task: {@code q-network} (online
 * Q-learning with a network, no replay memory, no target network) and {@code dqn} (experience
 * replay and a target network).
 */
module losssurface.plugin.qlearning {
    requires losssurface.rl;

    provides losssurface.api.TrainerProvider with
            losssurface.plugin.qlearning.DqnTrainerProvider,
            losssurface.plugin.qlearning.QNetworkTrainerProvider;
}
