package losssurface.runner;

import java.io.PrintStream;
import java.util.Locale;

import losssurface.api.Progress;

/**
 * Progress on the terminal (standard error). On an interactive terminal a meter redraws one line
 * in place; otherwise (CI, pipes) it prints a line at most every {@code quietMillis}.
 * Meters show done/total, rate and an estimate of the time left.
 */
final class ConsoleProgress implements Progress {

    private final PrintStream err;
    private final boolean interactive;
    private final long quietMillis;

    ConsoleProgress(PrintStream err, boolean interactive, long quietMillis) {
        this.err = err;
        this.interactive = interactive;
        this.quietMillis = quietMillis;
    }

    /** Whether a meter's line is on screen unfinished (interactive mode). */
    private boolean lineOpen;

    @Override
    public void info(String message) {
        if (lineOpen) {
            err.print("\r\033[K");
            lineOpen = false;
        }
        err.println(message);
        err.flush();
    }

    @Override
    public Meter meter(String what, long total, String unit) {
        return new ConsoleMeter(what, total, unit);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%ds", s);
    }

    private final class ConsoleMeter implements Meter {
        private final String what;
        private final long total;
        private final String unit;
        private final long started = System.nanoTime();
        private long lastPrint;
        private long done;
        private String detail = "";
        private boolean printed;

        ConsoleMeter(String what, long total, String unit) {
            this.what = what;
            this.total = total;
            this.unit = unit;
        }

        @Override
        public void update(long done, String detail) {
            this.done = done;
            this.detail = detail == null ? "" : detail;
            long now = System.nanoTime();
            long gap = interactive ? 200 : quietMillis;
            if ((now - lastPrint) / 1_000_000 >= gap) {
                lastPrint = now;
                print(false);
            }
        }

        private void print(boolean last) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            double rate = elapsed > 0 ? done / elapsed : 0;
            int pct = total > 0 ? (int) (100 * done / total) : 0;
            String eta = last ? "took " + duration(elapsed)
                    : "ETA " + (rate > 0 ? duration((total - done) / rate) : "?");
            String line = String.format(Locale.ROOT, "%s %3d%% %d/%d %s, %.1f %s/s, %s  %s",
                    what, pct, done, total, unit, rate, unit, eta, detail);
            if (interactive) {
                int width = 20;
                int filled = total > 0 ? (int) (width * done / total) : 0;
                String bar = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] ";
                err.print("\r" + bar + line + "\033[K");
                lineOpen = !last;
                if (last) {
                    err.println();
                }
            } else {
                err.println(line);
            }
            err.flush();
            printed = true;
        }

        @Override
        public void close() {
            if (printed || done > 0) {
                print(true);
            }
        }
    }
}
