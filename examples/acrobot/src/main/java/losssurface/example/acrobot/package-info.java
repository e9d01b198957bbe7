/**
 * A complete example of a third-party environment plugin for losssurface: Gymnasium's Acrobot-v1
 * (Gymnasium 1.3.0, {@code classic_control/acrobot.py}) as the {@code acrobot} task.
 *
 * <p>The plugin is three classes, built outside the losssurface reactor against the api alone:
 * <ul>
 *   <li>{@link losssurface.example.acrobot.Acrobot}, the {@link losssurface.api.Environment}: the
 *       dynamics, rewards, termination and time limit;</li>
 *   <li>{@link losssurface.example.acrobot.AcrobotTask}, the {@link losssurface.api.EnvironmentTask}
 *       that hands out fresh environments and says when the task counts as solved (the api's default
 *       {@code objective} makes the trained agent's RL objective the surface);</li>
 *   <li>{@link losssurface.example.acrobot.AcrobotTaskProvider}, the
 *       {@link losssurface.api.TaskProvider} the runner finds with {@code ServiceLoader}, declared with
 *       {@code provides} in {@code module-info.java} and in {@code META-INF/services}.</li>
 * </ul>
 * Its jar in a {@code --plugin-path} folder makes {@code --task acrobot} available to the stock
 * runner and its RL trainers ({@code dqn}, {@code q-network}) without rebuilding anything.
 */
package losssurface.example.acrobot;
