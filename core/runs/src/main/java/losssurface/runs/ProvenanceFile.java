package losssurface.runs;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import losssurface.api.Provenance;
import losssurface.api.RunResult;

/**
 * {@code provenance.json}, written and read by Jackson: the fixed keys, then the run's details
 * (the probe's report, the surface job, plugins, git commit, command...), each key once
 * ({@link Provenance} refuses details that would overwrite a fixed key). Of the details only
 * {@code git-commit} and {@code command} are read back.
 *
 * @param format         {@value #FORMAT}
 * @param run            the run folder's name
 * @param task           task name
 * @param trainer        trainer name
 * @param probe          probe name
 * @param seed           the run seed
 * @param settings       every setting in force
 * @param versions       software versions and the machine
 * @param timingsSeconds seconds per stage
 * @param details        everything else, written as keys of their own
 * @param model          the trained model's headline numbers
 * @param files          every file of the run
 * @param gitCommit      read back from the details (written there)
 * @param command        read back from the details (written there)
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"format", "run", "task", "trainer", "probe", "seed", "settings", "versions", "timings-seconds", "git-commit", "command", "model", "files"})
@JsonIgnoreProperties(ignoreUnknown = true)
record ProvenanceFile(String format, String run, String task, String trainer, String probe, long seed, Map<String, String> settings,
                      Map<String, String> versions, @JsonProperty("timings-seconds") Map<String, Double> timingsSeconds,
                      @JsonIgnore Map<String, Object> details, Map<String, Object> model, List<String> files,
                      @JsonProperty("git-commit") @JsonInclude(JsonInclude.Include.NON_NULL) String gitCommit,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String command) {

    static final String FORMAT = "losssurface-provenance/1";

    static ProvenanceFile of(RunResult run, List<String> files) {
        Provenance p = run.provenance();
        return new ProvenanceFile(FORMAT, run.name(), p.task(), p.trainer(), p.probe(), p.seed(), p.settings(), p.versions(),
                p.timings(), p.details(), run.model().summary(), files, null, null);
    }

    /** The details, each a key of its own beside the fixed ones. */
    @JsonAnyGetter
    Map<String, Object> detailKeys() {
        return details == null ? Map.of() : details;
    }

    /** The details read back: the git commit and the command, where the file has them. */
    Map<String, Object> readDetails() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (gitCommit != null) {
            out.put("git-commit", gitCommit);
        }
        if (command != null) {
            out.put("command", command);
        }
        return out;
    }
}
