package losssurface.rl;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

import losssurface.api.Check;
import losssurface.api.EnvironmentTask;
import losssurface.api.Objective;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;

/**
 * Which RL objective an environment task draws, read from the {@code rl.*} settings:
 * <ul>
 *   <li>{@code rl.objective}: {@code td-frozen} (default), {@code td-online} or {@code return}
 *   (see {@link TdObjective} and {@link ReturnObjective}), or several of them separated by commas:
 *   the run then draws one surface per objective from one training;</li>
 *   <li>{@code rl.transitions}: size of the transition set D of the TD objectives (default 10000);</li>
 *   <li>{@code rl.episodes}: episodes of the return objective (default 10);</li>
 *   <li>{@code rl.epsilon}: exploration rate of the trained policy while D is collected (default 0.1);</li>
 *   <li>{@code rl.seed}: seed of D and of the return objective's episodes (default: the run seed
 *   plus {@value #SEED_OFFSET}).</li>
 * </ul>
 * The RL trainers read them with {@link #read(Settings)} in their providers and hand them to the
 * {@link QModel} they train, which builds its objectives with
 * {@link #objective(QModel, EnvironmentTask, RunContext, String)}.
 *
 * @param objectives  the objectives drawn, each {@code td-frozen}, {@code td-online} or {@code return}, no repeats
 * @param transitions transitions in D
 * @param episodes    episodes per evaluation of the return objective
 * @param epsilon     exploration rate while collecting D
 * @param seed        seed of D and of the evaluation episodes; empty: derived from the run seed
 */
public record RlObjectiveSettings(List<String> objectives, int transitions, int episodes, double epsilon, OptionalLong seed) {

    public static final String OBJECTIVE = "rl.objective";
    public static final String TRANSITIONS = "rl.transitions";
    public static final String EPISODES = "rl.episodes";
    public static final String EPSILON = "rl.epsilon";
    public static final String SEED = "rl.seed";
    /** Every key these settings read: what an agent is drawn on, none of which changes its training. */
    public static final List<String> KEYS = List.of(OBJECTIVE, TRANSITIONS, EPISODES, EPSILON, SEED);

    /** {@code keys} without these settings' (for {@code TrainerProvider.trainingSettings} of a trainer that reads them). */
    public static java.util.Set<String> withoutThese(java.util.Set<String> keys) {
        java.util.Set<String> out = new java.util.TreeSet<>(keys);
        KEYS.forEach(out::remove);
        return out;
    }

    public static final String TD_FROZEN = "td-frozen";
    public static final String TD_ONLINE = "td-online";
    public static final String RETURN = "return";

    /** Added to the run seed when {@code rl.seed} is not given. */
    public static final long SEED_OFFSET = 1_000_000L;

    /** Every objective, in the order the demo draws them. */
    public static final List<String> OBJECTIVES = List.of(TD_FROZEN, TD_ONLINE, RETURN);
    /** {@value #OBJECTIVE}'s word for every objective of {@link #OBJECTIVES}. */
    public static final String ALL = "all";

    public RlObjectiveSettings {
        Objects.requireNonNull(seed, "seed");
        objectives = objectives.stream().map(o -> o.strip().toLowerCase(Locale.ROOT)).toList();
        if (objectives.equals(List.of(ALL))) {
            objectives = OBJECTIVES;
        }
        if (objectives.isEmpty()) {
            throw new SettingsException(OBJECTIVE + " is empty. Give one or more of " + String.join(", ", OBJECTIVES)
                    + ", separated by commas.");
        }
        for (String objective : objectives) {
            if (!OBJECTIVES.contains(objective)) {
                throw new SettingsException(OBJECTIVE + " must be one or more of " + String.join(", ", OBJECTIVES)
                        + " separated by commas, or " + ALL + ", but has '" + objective + "'.");
            }
        }
        if (new HashSet<>(objectives).size() != objectives.size()) {
            throw new SettingsException(OBJECTIVE + " names an objective twice ('" + String.join(",", objectives)
                    + "'). Give each once.");
        }
        Check.between(TRANSITIONS, 1, 10_000_000, transitions);
        Check.between(EPISODES, 1, 100_000, episodes);
        Check.between(EPSILON, 0.0, 1.0, epsilon);
    }

    /** The defaults: td-frozen over 10000 transitions collected with epsilon 0.1, 10 return episodes. */
    public static RlObjectiveSettings defaults() {
        return new RlObjectiveSettings(List.of(TD_FROZEN), 10_000, 10, 0.1, OptionalLong.empty());
    }

    /** Reads (and so declares) every {@code rl.*} key. */
    public static RlObjectiveSettings read(Settings settings) {
        return new RlObjectiveSettings(
                Arrays.asList(settings.string(OBJECTIVE, TD_FROZEN).split(",", -1)),
                settings.integer(TRANSITIONS, 10_000),
                settings.integer(EPISODES, 10),
                settings.decimal(EPSILON, 0.1),
                settings.optionalLong(SEED, "the run seed + " + SEED_OFFSET));
    }

    /** The seed of D and of the return objective's episodes in a run. */
    public long seed(RunContext context) {
        return seed.orElse(context.seed() + SEED_OFFSET);
    }

    /**
     * The objective {@code objective} (one of {@link #OBJECTIVES}) for a trained Q-network on
     * {@code task}. For the TD objectives D is collected here by the trained policy with
     * exploration {@link #epsilon()} (the same D for both, as it depends only on the policy and
     * the seed); the objective returned carries it ({@link TdObjective#artefacts()}).
     */
    public Objective objective(QModel q, EnvironmentTask task, RunContext context, String objective) {
        if (!OBJECTIVES.contains(objective)) {
            throw new IllegalArgumentException("unknown RL objective '" + objective + "'; known: " + OBJECTIVES);
        }
        long s = seed(context);
        if (objective.equals(RETURN)) {
            return ReturnObjective.of(q.network(), task::newEnvironment, s, episodes);
        }
        long t0 = System.nanoTime();
        Transitions d = Transitions.collect(q.network(), task.newEnvironment(), transitions, epsilon, s);
        context.progress().info(String.format(Locale.ROOT,
                "Collected D: %d transitions (%d terminal) with the trained policy, epsilon %s, seed %d, in %.1f s",
                d.size(), d.terminalCount(), epsilon, s, (System.nanoTime() - t0) / 1e9));
        return TdObjective.of(q, d, objective.equals(TD_FROZEN) ? TdObjective.Target.FROZEN : TdObjective.Target.ONLINE);
    }
}
