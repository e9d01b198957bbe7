/**
 * The run folder: the one place that names, writes and reads every file of a run, and the
 * comparison of saved runs. Framework-free apart from Jackson for the JSON files.
 */
module losssurface.runs {
    requires transitive losssurface.api;
    requires com.fasterxml.jackson.databind;

    exports losssurface.runs;
    opens losssurface.runs to com.fasterxml.jackson.databind; // the files' records, read and written by Jackson
}
