package losssurface.runs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import losssurface.api.LossSurfaceException;
import losssurface.api.io.AtomicFiles;

/**
 * One writer per run folder, and per share of its tiles: while a process works on a run it holds an
 * operating-system lock ({@link FileChannel#tryLock(long, long, boolean)}) on a region of the run
 * folder's {@value #FILE}.
 * <ul>
 *   <li>a process that computes every missing tile ({@code run}, {@code resume}) locks the whole file;</li>
 *   <li>a process that computes share K of N ({@code --tiles K/N}) locks one byte of its own, so that
 *   shares work side by side (in one JVM too, as Spark's local mode runs them), never beside a
 *   whole-run process, and a share started twice refuses.</li>
 * </ul>
 * Beside it, {@code .lock-run} and {@code .lock-share-K-of-N} name each holder (process, host, since
 * when, what it does). The system releases a lock when its process ends, however it ends (SIGKILL
 * included): a name left in such a file by a process that is gone is taken over, with a sentence.
 */
public final class RunLock implements AutoCloseable {

    /** The file whose regions are locked. */
    public static final String FILE = ".lock";
    /** Names the process working on the whole run. */
    static final String RUN_HOLDER = ".lock-run";

    private final FileChannel channel;
    private final FileLock lock;
    private Path holderFile;

    private RunLock(FileChannel channel, FileLock lock, Path holderFile) {
        this.channel = channel;
        this.lock = lock;
        this.holderFile = holderFile;
    }

    /** The byte of {@value #FILE} that share {@code k} of {@code n} locks (the whole run locks them all). */
    static long position(RunTiles.Share share) {
        return 1 + (long) share.n() * (share.n() - 1) / 2 + share.k() - 1;
    }

    /** The file naming the holder of {@code share}. */
    static String holderFile(RunTiles.Share share) {
        return share.all() ? RUN_HOLDER : ".lock-share-" + share.k() + "-of-" + share.n();
    }

    /**
     * Locks {@code runDir} for {@code share} of its tiles (every tile: {@link RunTiles.Share#ALL}).
     *
     * @param what   what this process does, recorded for whoever finds the run locked (e.g. "resume")
     * @param report told when a lock left by a process that is gone is taken over
     * @throws LossSurfaceException when another process works on the run (or on this share), naming it
     */
    public static RunLock acquire(Path runDir, RunTiles.Share share, String what, Consumer<String> report) {
        Path file = runDir.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot open the lock file " + file + " (" + e.getMessage() + "). The run folder must be"
                    + " writable.", e);
        }
        FileLock lock;
        try {
            lock = share.all() ? channel.tryLock(0, Long.MAX_VALUE, false) : channel.tryLock(position(share), 1, false);
        } catch (OverlappingFileLockException e) {
            lock = null; // held in this process
        } catch (IOException e) {
            close(channel);
            throw new LossSurfaceException("Cannot lock " + file + " (" + e.getMessage() + "). The run folder's file system must"
                    + " support locks (a local disk, or NFS with locking).", e);
        }
        if (lock == null) {
            String holders = holders(runDir, channel);
            close(channel);
            throw new LossSurfaceException(runDir + " is being worked on by " + holders + ". One process works on a run (or on one"
                    + " share of its tiles) at a time: wait for it to finish, or stop it first"
                    + (share.all() ? "" : "; other shares (--tiles K/N) may run side by side") + ".");
        }
        // our name first (a process refused meanwhile reads it), then what names a holder that no lock backs now: left by a
        // process that is gone
        Path holder = runDir.resolve(holderFile(share));
        List<String> left = new ArrayList<>();
        left.add(read(holder));
        write(holder, "process " + ProcessHandle.current().pid() + " on " + RunTiles.host() + " since " + java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (" + what + (share.all() ? "" : ", share " + share) + ")");
        if (share.all()) {
            for (Path f : holderFiles(runDir)) {
                if (!f.equals(holder)) {
                    left.add(read(f));
                    write(f, "");
                }
            }
        }
        for (String name : left) {
            if (!name.isBlank()) {
                report.accept("Took over the lock of " + runDir.getFileName() + " left by " + name.strip() + ", which is no longer"
                        + " running.");
            }
        }
        return new RunLock(channel, lock, holder);
    }

    /** Every file in {@code runDir} that names a holder. */
    private static List<Path> holderFiles(Path runDir) {
        try (var files = Files.list(runDir)) {
            return files.filter(f -> f.getFileName().toString().equals(RUN_HOLDER)
                    || f.getFileName().toString().startsWith(".lock-share-")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Who holds a region of the lock file now: each named holder whose region is locked. A holder that has just taken
     * over may not have written its name yet (the file still names a process of this host that is gone): read again.
     */
    private static String holders(Path runDir, FileChannel channel) {
        String found = "another process";
        for (int attempt = 0; attempt < 40; attempt++) {
            found = named(runDir, channel);
            if (!namesGoneProcess(found)) {
                return found;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return found;
    }

    /** Whether {@code text} names a process of this host that is no longer running. */
    private static boolean namesGoneProcess(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("process (\\d+) on (\\S+)").matcher(text);
        while (m.find()) {
            if (m.group(2).equals(RunTiles.host()) && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static String named(Path runDir, FileChannel channel) {
        List<String> found = new ArrayList<>();
        for (Path f : holderFiles(runDir)) {
            String name = f.getFileName().toString();
            RunTiles.Share share = name.equals(RUN_HOLDER) ? RunTiles.Share.ALL
                    : RunTiles.Share.parse(name.substring(".lock-share-".length()).replace("-of-", "/"));
            boolean held;
            try {
                FileLock probe = share.all() ? channel.tryLock(0, 1, false) : channel.tryLock(position(share), 1, false);
                held = probe == null;
                if (probe != null) {
                    probe.release();
                }
            } catch (OverlappingFileLockException e) {
                held = true;
            } catch (IOException e) {
                held = false;
            }
            String text = read(f);
            if (held && !text.isBlank()) {
                found.add(text.strip());
            }
        }
        return found.isEmpty() ? "another process" : String.join(" and ", found);
    }

    private static String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text.isEmpty() ? "" : text + "\n");
        } catch (IOException e) {
            // the lock holds without its note
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }

    /**
     * The byte of {@value #FILE} held while the run's state file is read and written again: shares of one run update it
     * in turn. The whole run's lock covers it, as it covers every share's.
     */
    private static final long STATE_BYTE = Long.MAX_VALUE - 1;

    /**
     * Runs {@code update} (reading the run's state file and writing it again) while no other share of the run does: the
     * shares that work side by side, in other processes or in this one, each keep what they record. The whole run's
     * holder has the run to itself and runs it at once.
     */
    public void updating(Runnable update) {
        if (lock.position() == 0) {
            update.run();
            return;
        }
        while (true) {
            FileLock turn;
            try {
                turn = channel.lock(STATE_BYTE, 1, false);
            } catch (OverlappingFileLockException e) {
                turn = null; // another share in this process has its turn
            } catch (IOException e) {
                throw new LossSurfaceException("Cannot lock the run's " + FILE + " to update its state (" + e.getMessage()
                        + "). The run folder's file system must support locks (a local disk, or NFS with locking).", e);
            }
            if (turn != null) {
                try {
                    update.run();
                } finally {
                    try {
                        turn.release();
                    } catch (IOException e) {
                        // released with the channel
                    }
                }
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                update.run(); // the state is still worth writing
                return;
            }
        }
    }

    /** The run folder was renamed to {@code dir} (the lock, on an open file, moves with it). */
    public synchronized void moved(Path dir) {
        holderFile = dir.resolve(holderFile.getFileName());
    }

    /** Releases the lock; the holder's file is emptied first, so that nothing names a process that let go. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        if (Files.isRegularFile(holderFile)) { // never recreate a folder that was moved or deleted
            write(holderFile, "");
        }
        try {
            lock.release();
        } catch (IOException e) {
            // the system releases it with the channel
        }
        close(channel);
    }
}
