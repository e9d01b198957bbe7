package losssurface.runner;

import java.util.List;
import java.util.function.Function;

import losssurface.api.ComputeBackendProvider;
import losssurface.api.EvaluatorProvider;
import losssurface.api.ModelSourceProvider;
import losssurface.api.PluginProvider;
import losssurface.api.ProbeProvider;
import losssurface.api.RendererProvider;
import losssurface.api.TaskProvider;
import losssurface.api.TrainerProvider;

/**
 * A kind of plugin: its service interface, the word for one and the heading for all, and what
 * {@code list} adds to a plugin's description. Discovery, the duplicate check, {@code list} and the
 * Guice binding loop over {@link #ALL}, so each is written once.
 *
 * @param type    the service interface
 * @param word    one plugin of this kind, in messages ("task")
 * @param heading the plugins of this kind, in listings ("Tasks")
 * @param note    what {@code list} adds to the description, e.g. the kind of task a trainer trains
 * @param <P>     the service interface
 */
record Kind<P extends PluginProvider<?>>(Class<P> type, String word, String heading, Function<P, String> note) {

    static final Kind<TaskProvider> TASK = new Kind<>(TaskProvider.class, "task", "Tasks", p -> "");
    static final Kind<TrainerProvider> TRAINER = new Kind<>(TrainerProvider.class, "trainer", "Trainers",
            p -> " [trains " + p.taskType().getSimpleName() + "]");
    static final Kind<ProbeProvider> PROBE = new Kind<>(ProbeProvider.class, "probe", "Probes", p -> "");
    static final Kind<RendererProvider> RENDERER = new Kind<>(RendererProvider.class, "renderer", "Renderers",
            p -> p.onByDefault() ? "" : " [off unless named]");

    static final Kind<EvaluatorProvider> EVALUATOR = new Kind<>(EvaluatorProvider.class, "evaluator", "Surface evaluators",
            p -> "");

    static final Kind<ModelSourceProvider> MODEL_SOURCE = new Kind<>(ModelSourceProvider.class, "model source",
            "Model sources (probe --model)", p -> "");

    static final Kind<ComputeBackendProvider> BACKEND = new Kind<>(ComputeBackendProvider.class, "compute backend",
            "Compute backends (threads fixed at one per worker at start-up)", p -> "");

    /** Every kind, in the order {@code list} shows them. */
    static final List<Kind<?>> ALL = List.of(TASK, TRAINER, PROBE, RENDERER, EVALUATOR, MODEL_SOURCE, BACKEND);

    /** {@code list}'s note for {@code provider}, which is of this kind. */
    String noteFor(PluginProvider<?> provider) {
        return note.apply(type.cast(provider));
    }
}
