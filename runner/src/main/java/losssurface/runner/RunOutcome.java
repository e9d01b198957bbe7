package losssurface.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import losssurface.runs.RunFolder;

/**
 * What a run produced.
 *
 * @param runDir  the run's folder
 * @param objective the name of the objective drawn when the model offered several (e.g. {@code return}), else empty
 * @param files   every file the renderers wrote
 * @param summary the trained model's headline numbers
 * @param timings seconds per stage
 * @param failures renderers that failed, with their messages (the run's other files are kept)
 * @param note     what to do next when the run is not complete as asked (e.g. a partial surface), else empty
 */
public record RunOutcome(Path runDir, String objective, List<Path> files, Map<String, Object> summary, Map<String, Double> timings,
                  List<String> failures, String note) {

    /** A run that had nothing left to do (e.g. resuming a complete run): {@link #report} prints {@code note} and succeeds. */
    static RunOutcome nothingToDo(Path runDir, String note) {
        return new RunOutcome(runDir, "", List.of(), Map.of(), Map.of(), List.of(), note);
    }

    private boolean isNothingToDo() {
        return files.isEmpty() && summary.isEmpty() && timings.isEmpty() && failures.isEmpty() && !note.isEmpty();
    }

    /** Prints where the results are and the headline numbers; returns the exit status (1 if a renderer failed). */
    public int report(PrintStream o) {
        if (isNothingToDo()) {
            o.println(note);
            return 0;
        }
        o.println();
        o.println("Results" + (objective.isEmpty() ? "" : " (" + objective + ")") + ": " + runDir);
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            o.println("  " + e.getKey() + ": " + format(e.getValue()));
        }
        StringBuilder t = new StringBuilder("  time:");
        timings.forEach((k, v) -> t.append(String.format(Locale.ROOT, " %s %.1f s,", k, v)));
        o.println(t.substring(0, t.length() - 1));
        if (!note.isEmpty()) {
            o.println("  " + note);
        }
        o.println("  files: " + String.join(", ", files.stream().map(f -> runDir.relativize(f).toString()).toList()));
        files.stream().filter(f -> f.getFileName().toString().equals(RunFolder.PAGE)).findFirst()
                .ifPresent(f -> o.println("  open: " + f));
        if (!failures.isEmpty()) {
            o.println((files.isEmpty() ? "Every renderer failed; no picture or page was written:"
                    : "Some renderers failed; the files listed above are complete:"));
            failures.forEach(f -> o.println("  " + f));
            return 1;
        }
        return 0;
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v);
    }
}
