/** The supervised trainer and the built-in regression task (the quickest demo of the pipeline). */
module losssurface.plugin.supervised {
    requires losssurface.nn;

    provides losssurface.api.TrainerProvider with losssurface.plugin.supervised.SupervisedTrainerProvider;
    provides losssurface.api.TaskProvider with losssurface.plugin.supervised.RegressionTaskProvider;
}
