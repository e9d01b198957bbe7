package losssurface.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run produced.
 *
 * @param runDir  the run's folder
 * @param files   every file the renderers wrote
 * @param summary the trained model's headline numbers
 * @param timings seconds per stage
 * @param failures renderers that failed, with their messages (the run's other files are kept)
 */
record RunOutcome(Path runDir, List<Path> files, Map<String, Object> summary, Map<String, Double> timings,
                  List<String> failures) {
}
