package losssurface.rl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.nn.dense.DenseHessian;
import losssurface.nn.dense.DenseNet;
import losssurface.nn.dense.FastMlpEvaluator;
import losssurface.nn.dense.Layouts;

/**
 * The mean squared TD error of a Q-network over a fixed transition set D:
 * <pre>
 *   L(theta) = mean over D of (r + gamma (1 - terminated) max_a' Q_T(s', a') - Q_theta(s, a))^2
 * </pre>
 * <ul>
 *   <li>{@linkplain #frozen frozen target}: T is fixed at the parameters the objective was made
 *   with (theta*); the targets are computed once, so the surface is that of a regression problem;</li>
 *   <li>{@linkplain #online online target}: T = theta, the target moves with the parameters (the
 *   moving target of plain Q-learning). At theta* both agree.</li>
 * </ul>
 * Time-limit truncation is not termination: such transitions are bootstrapped from. Metrics:
 * {@code loss} (the mean above) and {@code q-mean} (mean over D of max_a Q_theta(s, a), the
 * network's value estimate). Each evaluation is one batched forward pass over D (two for the
 * online target, done as one pass over D's states and next states). The objective scores a
 * private copy of the network and is not thread-safe.
 */
public final class TdObjective implements Objective, FastMlpEvaluator.Offer {

    /** Which parameters the TD target uses. */
    public enum Target {
        /** T = theta*, fixed when the objective is made. */
        FROZEN("td-frozen"),
        /** T = theta, recomputed at every point. */
        ONLINE("td-online");

        private final String key;

        Target(String key) {
            this.key = key;
        }

        /** The name users select it by, e.g. {@code td-frozen}. */
        public String key() {
            return key;
        }
    }

    private final MultiLayerNetwork net;
    private final ParameterLayout layout;
    private final Target target;
    private final double gamma;
    private final Transitions data;
    private final int n;
    private final int actions;
    private final int[] taken;
    private final double[] rewards;
    private final double[] bootstrap; // gamma * (1 - terminated)
    private final INDArray input; // states (frozen) or states then next states (online)
    private final double[] frozenTargets; // null for the online target

    /** A copy with a network of its own; everything else is read-only and shared. */
    private TdObjective(TdObjective o) {
        this.net = o.net.clone();
        this.layout = o.layout;
        this.target = o.target;
        this.gamma = o.gamma;
        this.data = o.data;
        this.n = o.n;
        this.actions = o.actions;
        this.taken = o.taken;
        this.rewards = o.rewards;
        this.bootstrap = o.bootstrap;
        this.input = o.input;
        this.frozenTargets = o.frozenTargets;
    }

    private TdObjective(MultiLayerNetwork network, double gamma, Transitions data, Target target) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(target, "target");
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be between 0 and 1, was " + gamma);
        }
        long nIn = network.layerInputSize(0);
        if (nIn > 0 && nIn != data.observationSize()) {
            throw new LossSurfaceException("The transitions have observations of " + data.observationSize()
                    + " entries but the Q-network's input layer takes " + nIn + ".");
        }
        this.net = network.clone();
        this.layout = Layouts.of(net);
        this.target = target;
        this.gamma = gamma;
        this.data = data;
        this.n = data.size();
        this.actions = Math.toIntExact(net.getOutputLayer().getParam("b").length());
        this.taken = data.actions();
        for (int i = 0; i < n; i++) {
            if (taken[i] >= actions) {
                throw new LossSurfaceException("Transition " + i + " took action " + taken[i] + " but the Q-network has only "
                        + actions + " outputs.");
            }
        }
        this.rewards = data.rewards();
        boolean[] terminated = data.terminated();
        this.bootstrap = new double[n];
        for (int i = 0; i < n; i++) {
            bootstrap[i] = terminated[i] ? 0 : gamma;
        }
        INDArray states = data.stateMatrix();
        INDArray next = data.nextStateMatrix();
        if (target == Target.FROZEN) {
            this.input = states;
            float[] qNext = output(next);
            next.close();
            this.frozenTargets = new double[n];
            for (int i = 0; i < n; i++) {
                frozenTargets[i] = rewards[i] + bootstrap[i] * max(qNext, i * actions);
            }
        } else {
            this.input = Nd4j.vstack(states, next);
            states.close();
            next.close();
            this.frozenTargets = null;
        }
    }

    /** TD loss with the target frozen at the network's current parameters (theta*). */
    public static TdObjective frozen(MultiLayerNetwork network, double gamma, Transitions data) {
        return new TdObjective(network, gamma, data, Target.FROZEN);
    }

    /** TD loss with the target recomputed from the evaluated parameters. */
    public static TdObjective online(MultiLayerNetwork network, double gamma, Transitions data) {
        return new TdObjective(network, gamma, data, Target.ONLINE);
    }

    /** The TD objective of {@code model} (its network and gamma) over {@code data}. */
    public static TdObjective of(QModel model, Transitions data, Target target) {
        return new TdObjective(model.network(), model.gamma(), data, target);
    }

    public Target target() {
        return target;
    }

    public double gamma() {
        return gamma;
    }

    /** The transition set D. */
    public Transitions transitions() {
        return data;
    }

    /** The artefact holding the frozen target's TD targets {@code r + gamma (1 - terminated) max_a' Q_theta*(s', a')}. */
    public static final String TARGETS = "td-targets";

    /**
     * D as arrays to save with the run (see {@link Transitions#toArtefacts()}), so the TD surface
     * can be recomputed from the run's files; with the frozen target also its targets
     * ({@value #TARGETS}, {@code [n]} float64), so that the surface is a plain regression on them.
     */
    @Override
    public Map<String, NamedArray> artefacts() {
        Map<String, NamedArray> out = data.toArtefacts();
        if (frozenTargets != null) {
            out.put(TARGETS, new NamedArray(new int[] {n}, frozenTargets.clone()));
        }
        return out;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public List<String> metrics() {
        return List.of("loss", "q-mean");
    }

    /** The description and a checksum of D (and of the frozen targets). */
    @Override
    public String identity() {
        losssurface.api.io.Checksum sum = new losssurface.api.io.Checksum();
        artefacts().values().forEach(a -> sum.add(a.values()));
        return description() + "; D sha256 " + sum.hex();
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "mean squared TD error over %d fixed transitions, %s (gamma %s)", n,
                target == Target.FROZEN ? "target frozen at theta*" : "online target (T = theta)", gamma);
    }

    @Override
    public double[] evaluate(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        INDArray p = Nd4j.createFromArray(parameters);
        net.params().assign(p);
        p.close();
        float[] q = output(input); // rows 0..n-1: Q(s); online: rows n..2n-1: Q(s')
        return metrics(q);
    }

    /** loss and q-mean from the Q values of {@link #input}'s rows, row-major: Q(row, a) at {@code row * actions + a}. */
    private double[] metrics(float[] q) {
        double loss = 0;
        double value = 0;
        for (int i = 0; i < n; i++) {
            double y = frozenTargets != null ? frozenTargets[i] : rewards[i] + bootstrap[i] * max(q, (n + i) * actions);
            double delta = y - q[i * actions + taken[i]];
            loss += delta * delta;
            value += max(q, i * actions);
        }
        return new double[] {loss / n, value / n};
    }

    @Override
    public java.util.Optional<String> notDense() {
        return DenseNet.unsupported(net);
    }

    @Override
    public DenseNet shape() {
        return DenseNet.of(net);
    }

    /** D's states (frozen target), or its states then its next states (online target): every point is one pass over them. */
    @Override
    public INDArray features() {
        return input;
    }

    @Override
    public FastMlpEvaluator.LossFunction loss() {
        return (z, rows, cols) -> metrics(z);
    }

    /** The same network, transitions and targets, for another thread. */
    @Override
    public java.util.Optional<Objective> copy() {
        return java.util.Optional.of(new TdObjective(this));
    }

    /**
     * With the frozen target, a dense Q-network with an identity output: its TD loss is a weighted
     * squared error on fixed targets (weight 1 on the action taken), with a gradient and exact
     * Hessian-vector products ({@link DenseHessian}). The online target's loss moves its targets with
     * the parameters (through a max): it offers neither.
     */
    @Override
    public boolean hasGradient() {
        return target == Target.FROZEN && DenseNet.unsupported(net).isEmpty()
                && DenseNet.of(net).outputActivation().equals("identity");
    }

    @Override
    public float[] gradient(float[] parameters) {
        double[] g = regression(parameters).orElseThrow(() -> new UnsupportedOperationException("This objective ("
                + description() + ") has no gradient.")).gradient();
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = (float) g[i];
        }
        return out;
    }

    @Override
    public java.util.Optional<losssurface.api.curvature.HessianOperator> hessian(float[] parameters) {
        return regression(parameters).map(h -> h);
    }

    /** The frozen-target TD loss at {@code parameters} as the dense engine's weighted squared error, where {@link #hasGradient}. */
    private java.util.Optional<DenseHessian> regression(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        if (!hasGradient()) {
            return java.util.Optional.empty();
        }
        float[] targets = new float[n * actions];
        float[] weights = new float[n * actions];
        for (int i = 0; i < n; i++) {
            targets[i * actions + taken[i]] = (float) frozenTargets[i];
            weights[i * actions + taken[i]] = 1;
        }
        float[] states = input.dup('c').data().asFloat();
        return java.util.Optional.of(DenseHessian.squaredError(DenseNet.of(net), parameters, states, targets, weights, n));
    }

    /** Q values of every row of {@code x}, row-major. */
    private float[] output(INDArray x) {
        INDArray out = net.output(x, false);
        float[] v = out.ordering() == 'c' && !out.isView() && out.data().length() == out.length()
                ? out.data().asFloat() : out.dup('c').data().asFloat();
        out.close();
        return v;
    }

    private double max(float[] q, int from) {
        float m = q[from];
        for (int a = 1; a < actions; a++) {
            m = Math.max(m, q[from + a]);
        }
        return m;
    }
}
