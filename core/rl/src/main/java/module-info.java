/**
 * Reinforcement learning on networks: trained Q-models, transition sets, the TD and return
 * objectives, and greedy rollouts. Environments themselves need only {@code losssurface.api}.
 */
module losssurface.rl {
    requires transitive losssurface.nn;

    exports losssurface.rl;

    provides losssurface.api.EvaluatorProvider with losssurface.rl.FastRolloutEvaluatorProvider;
}
