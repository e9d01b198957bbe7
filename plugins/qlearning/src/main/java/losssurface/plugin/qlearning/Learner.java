package losssurface.plugin.qlearning;

/** How a trainer learns from each transition: the one difference between {@code q-network} and {@code dqn}. */
interface Learner {

    /**
     * Learns from the transition just taken.
     *
     * @return the mean squared TD error of the update made (before it), or NaN when no update was made
     */
    double learn(float[] state, int action, double reward, float[] next, boolean terminated);
}
