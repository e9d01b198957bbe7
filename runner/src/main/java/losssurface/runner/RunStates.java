package losssurface.runner;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.google.inject.Inject;
import com.google.inject.Singleton;

import losssurface.api.Progress;

import losssurface.runs.RunState;
import losssurface.runs.RunLock;
import losssurface.runs.RunTiles;

/**
 * Keeps the state file of every run folder this process is working on up to date
 * ({@link RunState}): the stage as it goes, complete or failed when it ends, and interrupted
 * when a signal (Ctrl-C, SIGTERM) stops the process, with a console message saying what was
 * kept and how to resume. A run killed outright (SIGKILL) stays "running" in its file with a
 * process that is gone, which {@code resume} recognises.
 */
@Singleton
final class RunStates {

    private final Set<Tracked> active = ConcurrentHashMap.newKeySet();
    private final Progress console;
    private Thread hook;

    @Inject
    RunStates(Progress console) {
        this.console = console;
    }

    /**
     * Starts tracking the run in {@code dir} of which this process computes {@code share} of the tiles: locks it
     * ({@link RunLock}: another process working on it, or on the same share, is refused, naming it), then writes its
     * first state.
     */
    synchronized Tracked track(Path dir, RunState state, RunTiles.Share share) {
        RunLock lock = RunLock.acquire(dir, share, state.request().resumes().isEmpty() ? "run" : "resume", console::info);
        Tracked t = new Tracked(dir, state, lock);
        try {
            t.write();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        active.add(t);
        if (hook == null) {
            hook = new Thread(this::interrupted, "losssurface-interrupted");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return t;
    }

    private synchronized void finished(Tracked t) {
        active.remove(t);
        if (active.isEmpty() && hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
            hook = null;
        }
    }

    /** Every run still going here stopped on {@code error}: their state files say so, with its message. */
    void failed(Throwable error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        for (Tracked t : active) {
            t.fail(message);
        }
    }

    /** The shutdown hook: a run still going when the process ends was interrupted. */
    private void interrupted() {
        for (Tracked t : active) {
            t.interrupt(console);
        }
    }

    /** One run folder's state, written as it changes. */
    final class Tracked implements AutoCloseable {
        private Path dir;
        private RunState state;
        private final RunLock lock;

        private Tracked(Path dir, RunState state, RunLock lock) {
            this.dir = dir;
            this.state = state;
            this.lock = lock;
        }

        /**
         * Writes the state, in turn with the other shares of the run that work side by side, keeping each resume they
         * recorded meanwhile.
         */
        private void write() {
            lock.updating(() -> {
                state = state.mergedWith(RunState.read(dir));
                state.write(dir);
            });
        }

        /** Each resume of the run, as its request records them (when, which share, from what state). */
        synchronized java.util.List<String> resumes() {
            return state.request().resumes();
        }

        synchronized void stage(String stage) {
            state = state.at(stage);
            write();
        }

        /** The folder was renamed to {@code to}. */
        synchronized void moved(Path to) {
            dir = to;
            lock.moved(to);
        }

        /** The same run with this request recorded (e.g. the one objective this folder draws). */
        synchronized Tracked with(RunState.Request request) {
            state = new RunState(state.state(), state.stage(), state.pid(), state.message(), request);
            write();
            return this;
        }

        /** Only the asked-for share of the tiles was computed ({@code why} says how far the surface got). */
        synchronized void partial(String why) {
            state = state.ended(RunState.PARTIAL, why);
            lock.updating(() -> {
                // another share may have found every tile and drawn the surface meanwhile: never undo that
                Optional<RunState> saved = RunState.read(dir);
                if (!saved.map(RunState::complete).orElse(false)) {
                    state = state.mergedWith(saved);
                    state.write(dir);
                }
            });
        }

        synchronized void complete() {
            state = state.ended(RunState.COMPLETE, "");
            write();
        }

        synchronized void interrupt(Progress console) {
            if (!state.state().equals(RunState.RUNNING)) {
                return;
            }
            state = state.ended(RunState.INTERRUPTED, "interrupted by a signal during " + state.stage());
            write();
            console.info("");
            console.info("Interrupted during " + state.stage() + "; " + RunTiles.progress(dir) + " kept in " + dir + ".");
            console.info("Resume with: losssurface resume " + dir);
        }

        synchronized void fail(String message) {
            if (state.state().equals(RunState.RUNNING)) {
                state = state.ended(RunState.FAILED, "during " + state.stage() + ": " + message);
                write();
            }
        }

        /** Ends tracking; a run still running here stopped on an error (the console says which). */
        @Override
        public synchronized void close() {
            if (state.state().equals(RunState.RUNNING)) {
                state = state.ended(RunState.FAILED, "stopped by an error during " + state.stage()
                        + " (the console said which); fix it, then resume");
                write();
            }
            lock.close();
            finished(this);
        }
    }
}
