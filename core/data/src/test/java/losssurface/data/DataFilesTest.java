package losssurface.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.io.Npy;

/** The data files users bring: CSV (quoted as RFC 4180 allows), x.npy/y.npy of any rank, .npz, and non-finite values. */
class DataFilesTest {

    @TempDir
    Path tmp;

    static DataFiles.Loaded read(Path p) {
        return DataFiles.examples(p, "label", DataFiles.NonFinite.REFUSE);
    }

    @Test
    void csvFieldsMayBeQuoted() throws IOException {
        Path csv = Files.writeString(tmp.resolve("q.csv"), "\"width, cm\",label,\"the \"\"height\"\"\"\n"
                + "1.5,2,\"3\"\n\n\"-4\",0,5e-1\n");
        Examples e = read(csv).examples();
        assertThat(e.count()).isEqualTo(2);
        assertThat(e.features()).containsExactly(1.5f, 3f, -4f, 0.5f);
        assertThat(e.labels()).containsExactly(2f, 0f);
        assertThat(e.integerLabels()).isTrue();
        assertThat(e.columns()).containsExactly("width, cm", "the \"height\"", "label");
        assertThat(e.where(1)).endsWith("q.csv, line 4");
    }

    @Test
    void aNanOrInfinityIsRefusedNamingFileLineAndColumn() throws IOException {
        Path csv = Files.writeString(tmp.resolve("nan.csv"), "a,b,label\n1,2,0\n3,NaN,1\n");
        assertThatThrownBy(() -> read(csv)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("Data file " + csv + ", line 3: column 'b' is NaN.")
                .hasMessageContaining("--non-finite drop");
        Path label = Files.writeString(tmp.resolve("inf.csv"), "a,b,label\n1,2,Infinity\n3,4,1\n");
        assertThatThrownBy(() -> read(label)).hasMessageContaining(", line 2: column 'label' is Infinity.");

        Path dir = Files.createDirectories(tmp.resolve("npy"));
        float[] x = new float[3 * 2 * 2 * 2];
        x[1 * 8 + 5] = Float.NEGATIVE_INFINITY; // example 1, element [1, 0, 1]
        Npy.write(dir.resolve("x.npy"), new NamedArray(new int[] {3, 2, 2, 2}, x));
        Npy.write(dir.resolve("y.npy"), new NamedArray(new int[] {3}, new int[] {0, 1, 0}));
        assertThatThrownBy(() -> read(dir)).hasMessageContaining(dir.resolve("x.npy")
                + ", example 1: feature [1, 0, 1] is -Infinity.");

        DataFiles.Loaded dropped = DataFiles.examples(dir, "label", DataFiles.NonFinite.DROP);
        assertThat(dropped.dropped()).isEqualTo(1);
        assertThat(dropped.firstDropped()).contains("example 1: feature [1, 0, 1]");
        assertThat(dropped.examples().count()).isEqualTo(2);
        assertThat(dropped.examples().labels()).containsExactly(0f, 0f);
        assertThat(dropped.examples().exampleShape()).containsExactly(2, 2, 2);
    }

    @Test
    void npzHoldsImagesAndLabels() throws IOException {
        Path npz = tmp.resolve("images.npz");
        float[] x = new float[4 * 1 * 3 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        writeNpz(npz, "x", new NamedArray(new int[] {4, 1, 3, 3}, x), "y", new NamedArray(new int[] {4}, new int[] {3, 1, 0, 2}));
        Examples e = read(npz).examples();
        assertThat(e.exampleShape()).containsExactly(1, 3, 3);
        assertThat(e.featureShape()).containsExactly(4, 1, 3, 3);
        assertThat(e.labels()).containsExactly(3f, 1f, 0f, 2f);
        assertThat(e.integerLabels()).isTrue();

        Path wrong = tmp.resolve("wrong.npz");
        writeNpz(wrong, "features", new NamedArray(new int[] {4, 9}, x), "labels", new NamedArray(new int[] {4}, new int[4]));
        assertThatThrownBy(() -> read(wrong)).hasMessageContaining("holds arrays features, labels but needs x (features) and y");
        Path mismatch = tmp.resolve("mismatch.npz");
        writeNpz(mismatch, "x", new NamedArray(new int[] {4, 9}, x), "y", new NamedArray(new int[] {3}, new int[3]));
        assertThatThrownBy(() -> read(mismatch)).hasMessageContaining("[y] has shape [3] but")
                .hasMessageContaining("[x] has shape [4, 9]: labels must be [4] or [4, outputs].");
        Path notZip = Files.writeString(tmp.resolve("text.npz"), "hello");
        assertThatThrownBy(() -> read(notZip)).hasMessageContaining("Cannot read data file " + notZip + " as an .npz archive");
    }

    static void writeNpz(Path file, String k1, NamedArray a1, String k2, NamedArray a2) throws IOException {
        Path t1 = Files.createTempFile("a", ".npy");
        Path t2 = Files.createTempFile("b", ".npy");
        Npy.write(t1, a1);
        Npy.write(t2, a2);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(k1 + ".npy"));
            zip.write(Files.readAllBytes(t1));
            zip.putNextEntry(new ZipEntry(k2 + ".npy"));
            zip.write(Files.readAllBytes(t2));
        }
    }
}
