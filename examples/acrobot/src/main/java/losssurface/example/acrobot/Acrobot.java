package losssurface.example.acrobot;

import java.util.SplittableRandom;

import losssurface.api.Environment;

/**
 * Acrobot-v1 as Gymnasium 1.3.0's {@code classic_control/acrobot.py} defines it, with its 500-step
 * time limit: two links hanging from a fixed joint, driven by a torque of -1, 0 or +1 (actions 0, 1,
 * 2) on the joint between them. The goal is to swing the tip of the lower link above a bar one link
 * length over the fixed joint.
 *
 * <p>Dynamics are the "book" variant (Sutton and Barto), integrated with one fourth-order
 * Runge-Kutta step over dt = 0.2 s as Gymnasium's {@code rk4(derivs, y0, [0, dt])} does; links of
 * length 1 and mass 1, centres of mass at 0.5, moments of inertia 1, gravity 9.8, no torque noise.
 * After the step the angles are wrapped into [-pi, pi] and the velocities clipped to
 * [-4 pi, 4 pi] and [-9 pi, 9 pi]. An episode terminates when
 * {@code -cos(theta1) - cos(theta1 + theta2) > 1} and is truncated after 500 steps; each step gives
 * reward -1, except the terminating step, which gives 0.
 *
 * <p>The state (theta1, theta2, dtheta1, dtheta2) is kept in float64, with the arithmetic in the
 * reference's order so that a step reproduces the reference's next state to within 1e-12. The
 * observation is the float32 rounding of (cos theta1, sin theta1, cos theta2, sin theta2, dtheta1,
 * dtheta2) of the state after the step. Resets draw the four state values from U(-0.1, 0.1) with a
 * generator seeded by the reset seed and round them to float32, as the reference's reset does.
 * Not thread-safe.
 */
public final class Acrobot implements Environment {

    static final double DT = 0.2;
    static final double LINK_LENGTH_1 = 1.0;
    static final double LINK_MASS_1 = 1.0;
    static final double LINK_MASS_2 = 1.0;
    static final double LINK_COM_POS_1 = 0.5;
    static final double LINK_COM_POS_2 = 0.5;
    static final double LINK_MOI = 1.0;
    static final double GRAVITY = 9.8;
    static final double MAX_VEL_1 = 4 * Math.PI;
    static final double MAX_VEL_2 = 9 * Math.PI;
    /** Torque on the second joint for actions 0, 1 and 2. */
    static final double[] AVAILABLE_TORQUE = {-1.0, 0.0, +1.0};
    /** Bound of the uniform reset distribution of every state value. */
    static final double RESET_BOUND = 0.1;
    /** Gymnasium's registered time limit of Acrobot-v1. */
    public static final int MAX_EPISODE_STEPS = 500;

    private final double[] state = new double[4];
    private int elapsed;
    private boolean running;

    @Override
    public int observationSize() {
        return 6;
    }

    @Override
    public int actionCount() {
        return 3;
    }

    @Override
    public float[] reset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 4; i++) {
            state[i] = uniformFloat32(random);
        }
        elapsed = 0;
        running = true;
        return observation();
    }

    /**
     * low + (high - low) * u with u in [0, 1), rounded to float32 like the reference's
     * {@code uniform(...).astype(np.float32)}, and kept inside [-0.1, 0.1] (float32 rounding of
     * values next to the ends would otherwise step just outside).
     */
    private static double uniformFloat32(SplittableRandom random) {
        double v = -RESET_BOUND + (RESET_BOUND - -RESET_BOUND) * random.nextDouble();
        float f = (float) v;
        float limit = Math.nextDown((float) RESET_BOUND); // the largest float32 <= 0.1
        return Math.max(-limit, Math.min(limit, f));
    }

    @Override
    public Step step(int action) {
        if (action < 0 || action >= AVAILABLE_TORQUE.length) {
            throw new IllegalArgumentException("Acrobot actions are 0 (torque -1), 1 (no torque) and 2 (torque +1), was "
                    + action + ".");
        }
        if (!running) {
            throw new IllegalStateException("The Acrobot episode has ended (or was never started). Call reset(seed) first.");
        }
        double[] next = rk4(state, AVAILABLE_TORQUE[action]);
        state[0] = wrap(next[0], -Math.PI, Math.PI);
        state[1] = wrap(next[1], -Math.PI, Math.PI);
        state[2] = bound(next[2], -MAX_VEL_1, MAX_VEL_1);
        state[3] = bound(next[3], -MAX_VEL_2, MAX_VEL_2);
        elapsed++;
        boolean terminated = -Math.cos(state[0]) - Math.cos(state[1] + state[0]) > 1.0;
        boolean truncated = elapsed >= MAX_EPISODE_STEPS;
        running = !(terminated || truncated);
        return new Step(observation(), terminated ? 0.0 : -1.0, terminated, truncated);
    }

    /**
     * One classical Runge-Kutta step over [0, dt] of the state augmented with the (constant)
     * torque, in the order of Gymnasium's {@code rk4}: {@code y0 + dt / 6 * (k1 + 2 k2 + 2 k3 + k4)}.
     */
    static double[] rk4(double[] y0, double torque) {
        double dt = DT - 0.0; // t[1] - t[0]
        double dt2 = dt / 2.0;
        double[] k1 = dsdt(y0, torque);
        double[] k2 = dsdt(axpy(y0, dt2, k1), torque);
        double[] k3 = dsdt(axpy(y0, dt2, k2), torque);
        double[] k4 = dsdt(axpy(y0, dt, k3), torque);
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            out[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return out;
    }

    /** y + h * k, element by element (the torque entry's derivative is 0, so it stays unchanged). */
    private static double[] axpy(double[] y, double h, double[] k) {
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            out[i] = y[i] + h * k[i];
        }
        return out;
    }

    /** The time derivative of (theta1, theta2, dtheta1, dtheta2) under {@code torque}, the "book" dynamics. */
    static double[] dsdt(double[] s, double torque) {
        double m1 = LINK_MASS_1;
        double m2 = LINK_MASS_2;
        double l1 = LINK_LENGTH_1;
        double lc1 = LINK_COM_POS_1;
        double lc2 = LINK_COM_POS_2;
        double i1 = LINK_MOI;
        double i2 = LINK_MOI;
        double g = GRAVITY;
        double a = torque;
        double theta1 = s[0];
        double theta2 = s[1];
        double dtheta1 = s[2];
        double dtheta2 = s[3];
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * Math.sin(theta2)
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
                + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2)
                + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * Math.sin(theta2) - phi2)
                / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        return new double[] {dtheta1, dtheta2, ddtheta1, ddtheta2};
    }

    /**
     * Gymnasium's {@code wrap}: adds or subtracts {@code max - min} until {@code min <= x <= max}. Note
     * that {@code max} itself is kept (pi stays pi), as in the reference code.
     */
    static double wrap(double x, double min, double max) {
        if (!Double.isFinite(x)) {
            return x; // the reference would loop forever; cannot happen with bounded velocities
        }
        double diff = max - min;
        while (x > max) {
            x = x - diff;
        }
        while (x < min) {
            x = x + diff;
        }
        return x;
    }

    /** Gymnasium's {@code bound}: {@code min(max(x, min), max)}. */
    static double bound(double x, double min, double max) {
        return Math.min(Math.max(x, min), max);
    }

    /** The float64 state (theta1, theta2, dtheta1, dtheta2). */
    double[] state() {
        return state.clone();
    }

    /**
     * Puts the environment in {@code state} with {@code elapsedSteps} steps of the episode
     * already taken, as if an episode had reached it (for replaying reference transitions).
     */
    void setState(double[] state, int elapsedSteps) {
        if (state.length != 4) {
            throw new IllegalArgumentException("an Acrobot state has 4 entries, got " + state.length);
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
        return new float[] {
            (float) Math.cos(state[0]), (float) Math.sin(state[0]),
            (float) Math.cos(state[1]), (float) Math.sin(state[1]),
            (float) state[2], (float) state[3]};
    }
}
