package losssurface.plugin.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files and npm-like tarballs for tests. */
final class TestFiles {
    private TestFiles() {
    }

    /** An IDX header: the magic number followed by the dimensions, big-endian. */
    static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    /** An images file of {@code count} images of rows x columns; pixel p of image i is (i * 31 + p * 7) % 256. */
    static byte[] images(int count, int rows, int columns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(IdxReader.IMAGES_MAGIC, count, rows, columns));
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * columns; p++) {
                out.write(pixel(i, p));
            }
        }
        return out.toByteArray();
    }

    static int pixel(int image, int p) {
        return (image * 31 + p * 7) % 256;
    }

    /** A labels file holding {@code labels}. */
    static byte[] labels(int... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(IdxReader.LABELS_MAGIC, labels.length));
        for (int l : labels) {
            out.write(l);
        }
        return out.toByteArray();
    }

    /** Labels 0, 1, ..., 9, 0, 1, ... */
    static int[] cyclicLabels(int count, int offset) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (i + offset) % 10;
        }
        return labels;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** The four MNIST-shaped files (28x28) with {@code train} and {@code test} examples, as name to content. */
    static Map<MnistFile, byte[]> tinyMnist(int train, int test) {
        return Map.of(
                MnistFile.TRAIN_IMAGES, images(train, 28, 28),
                MnistFile.TRAIN_LABELS, labels(cyclicLabels(train, 0)),
                MnistFile.TEST_IMAGES, images(test, 28, 28),
                MnistFile.TEST_LABELS, labels(cyclicLabels(test, 3)));
    }

    /** Writes {@link #tinyMnist} into {@code dir}; the training files gzip-compressed as {@code .gz} when asked. */
    static Path writeTinyMnist(Path dir, int train, int test, boolean gzipTraining) throws IOException {
        for (Map.Entry<MnistFile, byte[]> e : tinyMnist(train, test).entrySet()) {
            boolean gz = gzipTraining && e.getKey().fileName().startsWith("train");
            write(dir.resolve(e.getKey().fileName() + (gz ? ".gz" : "")), gz ? gzip(e.getValue()) : e.getValue());
        }
        return dir;
    }

    /** A gzip-compressed ustar archive of the given entries (name to content), in the given order. */
    static byte[] tgz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            tar.writeBytes(tarHeader(e.getKey(), e.getValue().length, '0'));
            tar.writeBytes(e.getValue());
            tar.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        tar.writeBytes(new byte[1024]);
        return gzip(tar.toByteArray());
    }

    static byte[] tarHeader(String name, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0001750");
        put(h, 116, "0001750");
        put(h, 124, String.format(Locale.ROOT, "%011o", size));
        put(h, 136, String.format(Locale.ROOT, "%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format(Locale.ROOT, "%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
