package losssurface.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;

/** One writer per run and per share; shares side by side; a lock left by a process that is gone taken over. */
class RunLockTest {

    @TempDir
    Path run;

    final List<String> said = new ArrayList<>();

    RunLock lock(String share) {
        return RunLock.acquire(run, share.equals("all") ? RunTiles.Share.ALL : RunTiles.Share.parse(share), "resume", said::add);
    }

    @Test
    void sharesWorkSideBySideButNeverBesideTheWholeRunOrTwice() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (RunLock first = lock("1/2"); RunLock second = lock("2/2")) {
            assertThat(run.resolve(".lock-share-1-of-2")).content().startsWith("process " + pid + " on ").endsWith("(resume, share 1/2)\n");
            assertThatThrownBy(() -> lock("1/2")).isInstanceOf(LossSurfaceException.class)
                    .hasMessageContaining(run + " is being worked on by process " + pid)
                    .hasMessageContaining("(resume, share 1/2)").hasMessageContaining("other shares (--tiles K/N) may run side by side");
            assertThatThrownBy(() -> lock("all")).isInstanceOf(LossSurfaceException.class)
                    .hasMessageContaining("(resume, share 1/2) and process " + pid).hasMessageContaining("(resume, share 2/2)")
                    .hasMessageContaining("wait for it to finish, or stop it first.");
        }
        assertThat(run.resolve(".lock-share-1-of-2")).as("let go: it names no one").isEmptyFile();
        try (RunLock whole = lock("all")) {
            assertThatThrownBy(() -> lock("1/3")).hasMessageContaining("(resume)").hasMessageNotContaining("share 1/3)");
        }
        assertThat(said).isEmpty();
    }

    @Test
    void aNameLeftByAProcessThatIsGoneIsTakenOverWithASentence() throws Exception {
        Files.writeString(run.resolve(".lock-run"), "process 99999 on elsewhere since 2026-12-07T10:00:00Z (run)\n");
        try (RunLock whole = lock("all")) {
            assertThat(said).singleElement().asString().isEqualTo("Took over the lock of " + run.getFileName()
                    + " left by process 99999 on elsewhere since 2026-12-07T10:00:00Z (run), which is no longer running.");
            assertThat(run.resolve(".lock-run")).content().startsWith("process " + ProcessHandle.current().pid());
        }
    }
}
