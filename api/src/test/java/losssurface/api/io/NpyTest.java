package losssurface.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.NamedArray;

class NpyTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripsEveryTypeWithAnAlignedNumpyHeader() throws IOException {
        Object[] arrays = {new double[] {1.5, Double.NaN, -2, 4, 5, 6}, new float[] {1f, 2f, 3f, 4f, 5f, 6f},
                new int[] {1, -2, 3, 4, 5, 6}, new boolean[] {true, false, true, true, false, false}};
        for (Object values : arrays) {
            Path f = tmp.resolve("a.npy");
            Npy.write(f, new NamedArray(new int[] {2, 3}, values));
            byte[] bytes = Files.readAllBytes(f);
            int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            assertThat((10 + headerLength) % 64).as("data starts on a 64-byte boundary").isZero();
            String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
            assertThat(header).contains("'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
            NamedArray back = Npy.read(f);
            assertThat(back.shape()).containsExactly(2, 3);
            assertThat(back.values()).isEqualTo(values);
        }
        Npy.write(tmp.resolve("v.npy"), new NamedArray(new int[] {3}, new double[] {1, 2, 3}));
        assertThat(new String(Files.readAllBytes(tmp.resolve("v.npy")), StandardCharsets.US_ASCII)).contains("'shape': (3,), }");
    }

    @Test
    void rejectsWhatIsNotNpy() throws IOException {
        Path f = tmp.resolve("x.npy");
        Files.writeString(f, "hello");
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("is not a .npy file");
        assertThat(tmp.toFile().list()).containsExactly("x.npy");
    }
}
