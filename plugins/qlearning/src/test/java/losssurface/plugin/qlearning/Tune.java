package losssurface.plugin.qlearning;

import java.util.LinkedHashMap;
import java.util.Map;

import losssurface.api.TrainerProvider;
import losssurface.rl.QModel;

/** Developer harness: {@code Tune <dqn|q-network> <seed> key=value ...} trains on CartPole and prints the summary. */
final class Tune {
    private Tune() {
    }

    public static void main(String[] args) {
        TrainerProvider provider = args[0].equals("dqn") ? new DqnTrainerProvider() : new QNetworkTrainerProvider();
        long seed = Long.parseLong(args[1]);
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        DqnCartPoleSlowTest.Lines lines = new DqnCartPoleSlowTest.Lines();
        QModel model = DqnCartPoleSlowTest.train(provider, settings, seed, lines);
        lines.lines.forEach(System.out::println);
        double[] r = model.history().series().get("return");
        StringBuilder curve = new StringBuilder("returns by tenth of episodes:");
        int n = r.length;
        for (int k = 0; k < 10; k++) {
            double sum = 0;
            int from = k * n / 10;
            int to = (k + 1) * n / 10;
            for (int i = from; i < to; i++) {
                sum += r[i];
            }
            curve.append(String.format(" %.0f", sum / Math.max(1, to - from)));
        }
        System.out.println(curve);
        System.out.println(model.summary());
    }
}
