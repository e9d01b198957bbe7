/** CartPole-v1 exactly as Gymnasium defines it, as an environment task for the RL trainers. */
module losssurface.plugin.cartpole {
    requires losssurface.api;

    provides losssurface.api.TaskProvider with losssurface.plugin.cartpole.CartPoleTaskProvider;
}
