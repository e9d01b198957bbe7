package losssurface.plugin.mnist;

import static losssurface.plugin.mnist.TestFiles.gzip;
import static losssurface.plugin.mnist.TestFiles.header;
import static losssurface.plugin.mnist.TestFiles.images;
import static losssurface.plugin.mnist.TestFiles.labels;
import static losssurface.plugin.mnist.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesAndLabelsRawAndGzipped() throws IOException {
        Path img = write(dir.resolve("img"), images(3, 2, 3));
        Path lab = write(dir.resolve("lab.gz"), gzip(labels(7, 0, 9)));

        IdxReader.Examples ex = IdxReader.read(img, lab, 2, 3, 10);

        assertThat(ex.count()).isEqualTo(3);
        assertThat(ex.images().rows()).isEqualTo(2);
        assertThat(ex.images().columns()).isEqualTo(3);
        byte[] expected = new byte[18];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 6; p++) {
                expected[i * 6 + p] = (byte) TestFiles.pixel(i, p);
            }
        }
        assertThat(ex.images().pixels()).containsExactly(expected);
        assertThat(ex.labels().labels()).containsExactly(7, 0, 9);

        Path imgGz = write(dir.resolve("img-named-without-gz"), gzip(images(3, 2, 3)));
        assertThat(IdxReader.readImages(imgGz, 2, 3).pixels()).containsExactly(expected);
    }

    @Test
    void wrongMagicNumber() throws IOException {
        byte[] bytes = images(2, 28, 28);
        bytes[2] = 0x0D; // float data instead of unsigned bytes
        Path file = write(dir.resolve("float-images"), bytes);

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("does not start with the IDX magic number of an images file")
                .hasMessageContaining("found 0x00000D03, expected 0x00000803")
                .hasMessageContaining("Replace it with a complete copy");
    }

    @Test
    void labelsFileWhereImagesBelong() throws IOException {
        Path file = write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2, 3));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " is a labels file (magic number 0x00000801), expected an images file (0x00000803)")
                .hasMessageContaining("swapped");
        Path images = write(dir.resolve("t10k-images-idx3-ubyte"), images(1, 28, 28));
        assertThatThrownBy(() -> IdxReader.readLabels(images, 10))
                .hasMessageContaining(images + " is an images file (magic number 0x00000803), expected a labels file");
    }

    @Test
    void imagesOfTheWrongSize() throws IOException {
        Path file = write(dir.resolve("small-images"), images(4, 2, 2));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " holds images of 2x2 pixels, but this task needs 28x28")
                .hasMessageContaining("784 network inputs");
    }

    @Test
    void truncatedPixels() throws IOException {
        byte[] whole = images(3, 28, 28);
        Path file = write(dir.resolve("cut-images"), Arrays.copyOf(whole, whole.length - 100));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " is truncated: its header announces 3 images of 28x28 pixels (2352 bytes"
                        + " after the 16-byte header) but the file holds only 2252.");
    }

    @Test
    void truncatedGzipCountsTheDecompressedBytes() throws IOException {
        byte[] whole = images(3, 28, 28);
        Path file = write(dir.resolve("cut-images.gz"), gzip(Arrays.copyOf(whole, whole.length - 10)));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " is truncated")
                .hasMessageContaining("holds only 2342");
    }

    @Test
    void moreBytesThanTheHeaderAnnounces() throws IOException {
        byte[] whole = images(3, 28, 28);
        Path file = write(dir.resolve("long-images"), Arrays.copyOf(whole, whole.length + 5));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " holds 5 bytes more than its header announces (3 images of 28x28 pixels");
    }

    @Test
    void fileEndsInsideTheHeader() throws IOException {
        Path file = write(dir.resolve("stub"), Arrays.copyOf(images(1, 28, 28), 6));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " ends after 6 bytes, inside the IDX header (before the image count)");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = write(dir.resolve("empty"), new byte[0]);

        assertThatThrownBy(() -> IdxReader.readLabels(file, 10))
                .hasMessageContaining(file + " ends after 0 bytes, inside the IDX header (before the magic number)");
    }

    @Test
    void zeroCount() throws IOException {
        Path file = write(dir.resolve("none"), header(IdxReader.IMAGES_MAGIC, 0, 28, 28));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " announces 0 images in its header; expected at least 1");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path file = write(dir.resolve("bad-labels"), labels(3, 9, 11, 0));

        assertThatThrownBy(() -> IdxReader.readLabels(file, 10))
                .hasMessageContaining(file + " has label 11 at index 2, outside 0..9");
    }

    @Test
    void imagesAndLabelsDisagreeInCount() throws IOException {
        Path img = write(dir.resolve("train-images-idx3-ubyte"), images(3, 28, 28));
        Path lab = write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2));

        assertThatThrownBy(() -> IdxReader.read(img, lab, 28, 28, 10))
                .hasMessageContaining(img + " holds 3 images but " + lab + " holds 2 labels")
                .hasMessageContaining("do not belong together");
    }

    @Test
    void damagedGzip() throws IOException {
        byte[] gz = gzip(images(3, 28, 28));
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        Path file = write(dir.resolve("damaged.gz"), gz);

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining(file + " is gzip-compressed but cannot be decompressed")
                .hasMessageContaining("truncated or damaged");
    }

    @Test
    void gzipCutShort() throws IOException {
        byte[] gz = gzip(images(3, 28, 28));
        Path file = write(dir.resolve("short.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(file, 28, 28))
                .hasMessageContaining(file + " is gzip-compressed but cannot be decompressed");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nowhere");

        assertThatThrownBy(() -> IdxReader.readLabels(file, 10))
                .hasMessageContaining(file + " does not exist")
                .hasMessageContaining("--set mnist.dir=FOLDER");
    }
}
