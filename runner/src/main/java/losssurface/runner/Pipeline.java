package losssurface.runner;

import java.util.List;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * The run pipeline as commands that other modules add ({@link CommandProvider}) reach it: a {@link RunRequest}
 * goes through the stages {@code run} takes (plan, train or restore, objectives, surface with its tiles,
 * provenance, render), and a {@link ProbeSavedRequest} through those {@code probe --model} takes. Inject it.
 */
public final class Pipeline {

    private final Provider<RunService> runs;
    private final Provider<SavedModelProbe> saved;

    @Inject
    Pipeline(Provider<RunService> runs, Provider<SavedModelProbe> saved) {
        this.runs = runs;
        this.saved = saved;
    }

    /** A run: one outcome per objective drawn (an agent may offer several, e.g. {@code rl.objective=td-frozen,return}). */
    public List<RunOutcome> run(RunRequest request) {
        return runs.get().run(request);
    }

    /** {@code probe --model}: a saved model on a data file. */
    public RunOutcome probe(ProbeSavedRequest request) {
        return saved.get().probe(request);
    }
}
