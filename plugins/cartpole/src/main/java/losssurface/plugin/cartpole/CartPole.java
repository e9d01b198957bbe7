package losssurface.plugin.cartpole;

import java.util.SplittableRandom;

import losssurface.api.Environment;

/**
 * CartPole-v1 exactly as Gymnasium's {@code classic_control/cartpole.py} with its 500-step time
 * limit: a pole hinged on a cart that is pushed left (action 0) or right (action 1) with a force
 * of 10 N. Gravity 9.8, cart mass 1.0, pole mass 0.1, pole half-length 0.5, time step 0.02 s,
 * explicit Euler integration. An episode terminates when |x| > 2.4 or |theta| > 12 degrees, and is
 * truncated after 500 steps; every step, the last included, gives reward +1. Resets draw each of
 * the four state variables from U(-0.05, 0.05) with a generator seeded by the reset seed.
 *
 * <p>The state (x, x_dot, theta, theta_dot) is kept in float64, as the reference does;
 * observations are its float32 rounding. Not thread-safe.
 */
public final class CartPole implements Environment {

    static final double GRAVITY = 9.8;
    static final double MASS_CART = 1.0;
    static final double MASS_POLE = 0.1;
    static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    static final double LENGTH = 0.5; // half the pole's length
    static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    static final double FORCE_MAG = 10.0;
    static final double TAU = 0.02;
    static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
    static final double X_THRESHOLD = 2.4;
    /** Gymnasium's registered time limit of CartPole-v1. */
    public static final int MAX_EPISODE_STEPS = 500;

    private final double[] state = new double[4];
    private int elapsed;
    private boolean running;

    @Override
    public int observationSize() {
        return 4;
    }

    @Override
    public int actionCount() {
        return 2;
    }

    @Override
    public float[] reset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 4; i++) {
            state[i] = -0.05 + 0.1 * random.nextDouble();
        }
        elapsed = 0;
        running = true;
        return observation();
    }

    @Override
    public Step step(int action) {
        if (action != 0 && action != 1) {
            throw new IllegalArgumentException("CartPole actions are 0 (push left) and 1 (push right), was " + action + ".");
        }
        if (!running) {
            throw new IllegalStateException("The CartPole episode has ended (or was never started). Call reset(seed) first.");
        }
        double x = state[0];
        double xDot = state[1];
        double theta = state[2];
        double thetaDot = state[3];
        double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cos * cos) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;
        elapsed++;
        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
        boolean truncated = elapsed >= MAX_EPISODE_STEPS;
        running = !(terminated || truncated);
        return new Step(observation(), 1.0, terminated, truncated);
    }

    /** The float64 state (x, x_dot, theta, theta_dot). */
    double[] state() {
        return state.clone();
    }

    /**
     * Puts the environment in {@code state} with {@code elapsedSteps} steps of the episode
     * already taken, as if an episode had reached it (for replaying reference transitions).
     */
    void setState(double[] state, int elapsedSteps) {
        if (state.length != 4) {
            throw new IllegalArgumentException("a CartPole state has 4 entries, got " + state.length);
        }
        if (elapsedSteps < 0 || elapsedSteps >= MAX_EPISODE_STEPS) {
            throw new IllegalArgumentException("elapsed steps must be between 0 and " + (MAX_EPISODE_STEPS - 1) + ", was " + elapsedSteps);
        }
        System.arraycopy(state, 0, this.state, 0, 4);
        elapsed = elapsedSteps;
        running = true;
    }

    /** Steps taken in the current episode. */
    int elapsedSteps() {
        return elapsed;
    }

    private float[] observation() {
        return new float[] {(float) state[0], (float) state[1], (float) state[2], (float) state[3]};
    }
}
