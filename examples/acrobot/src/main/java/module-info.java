/**
 * Gymnasium's Acrobot-v1 as an environment task: a complete example of a third-party losssurface
 * plugin. It requires only the api, exports nothing, and provides one {@code TaskProvider}.
 */
module losssurface.example.acrobot {
    requires losssurface.api;

    provides losssurface.api.TaskProvider with losssurface.example.acrobot.AcrobotTaskProvider;
}
