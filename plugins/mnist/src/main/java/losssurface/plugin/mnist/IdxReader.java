package losssurface.plugin.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import losssurface.api.LossSurfaceException;

/**
 * Reads IDX files (the format of the MNIST distribution), raw or gzip-compressed (recognised by
 * the magic bytes {@code 1f 8b}, whatever the file is called).
 *
 * <p>Everything that can be wrong with such a file is checked and reported as a
 * {@link LossSurfaceException} naming the file, what is wrong and what to do: the magic number
 * (0x00000803 for images, 0x00000801 for labels), the image dimensions, the item count against
 * the bytes the file actually holds, the label range, and that images and labels agree in count.
 */
final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    static final int LABELS_MAGIC = 0x00000801;

    private static final String FIX = " Replace it with a complete copy of the original file.";

    private IdxReader() {
    }

    /**
     * Images of one file.
     *
     * @param count   number of images
     * @param rows    pixel rows per image
     * @param columns pixel columns per image
     * @param pixels  {@code count * rows * columns} grey values 0..255 (as unsigned bytes), row-major
     */
    record Images(int count, int rows, int columns, byte[] pixels) {
    }

    /**
     * Labels of one file.
     *
     * @param count  number of labels
     * @param labels one class per image, each in {@code 0..classes-1}
     */
    record Labels(int count, byte[] labels) {
    }

    /**
     * Matching images and labels.
     *
     * @param images the images
     * @param labels one label per image
     */
    record Examples(Images images, Labels labels) {
        int count() {
            return images.count();
        }
    }

    /**
     * Reads an images file and its labels file and checks that they agree in count.
     *
     * @param rows    the image height every image must have (28 for MNIST)
     * @param columns the image width every image must have (28 for MNIST)
     * @param classes labels must lie in {@code 0..classes-1}
     */
    static Examples read(Path imagesFile, Path labelsFile, int rows, int columns, int classes) {
        Images images = readImages(imagesFile, rows, columns);
        Labels labels = readLabels(labelsFile, classes);
        if (images.count() != labels.count()) {
            throw new LossSurfaceException(imagesFile + " holds " + images.count() + " images but " + labelsFile
                    + " holds " + labels.count() + " labels: the two files do not belong together."
                    + " Use the images file and the labels file of the same set (both train-* or both t10k-*).");
        }
        return new Examples(images, labels);
    }

    /** Reads an images file whose images must all be {@code rows x columns}. */
    static Images readImages(Path file, int rows, int columns) {
        try (InputStream in = open(file)) {
            int magic = header(in, file, 4, "magic number");
            checkMagic(file, magic, IMAGES_MAGIC, "an images file", LABELS_MAGIC, "a labels file");
            int count = header(in, file, 8, "image count");
            int r = header(in, file, 12, "row count");
            int c = header(in, file, 16, "column count");
            checkCount(file, count, "images");
            if (r != rows || c != columns) {
                throw new LossSurfaceException(file + " holds images of " + Integer.toUnsignedString(r) + "x"
                        + Integer.toUnsignedString(c) + " pixels, but this task needs " + rows + "x" + columns
                        + " (the size of MNIST digits, " + rows * columns + " network inputs)."
                        + " Use the MNIST image files, or resize the images to " + rows + "x" + columns + ".");
            }
            long expected = (long) count * r * c;
            byte[] pixels = body(in, file, 16, expected, count + " images of " + r + "x" + c + " pixels");
            return new Images(count, r, c, pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Reads a labels file whose labels must all lie in {@code 0..classes-1}. */
    static Labels readLabels(Path file, int classes) {
        try (InputStream in = open(file)) {
            int magic = header(in, file, 4, "magic number");
            checkMagic(file, magic, LABELS_MAGIC, "a labels file", IMAGES_MAGIC, "an images file");
            int count = header(in, file, 8, "label count");
            checkCount(file, count, "labels");
            byte[] labels = body(in, file, 8, count, count + " labels");
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xFF;
                if (label >= classes) {
                    throw new LossSurfaceException(file + " has label " + label + " at index " + i + ", outside 0.."
                            + (classes - 1) + ": it is not an MNIST digit labels file, or it is damaged." + FIX);
                }
            }
            return new Labels(count, labels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static InputStream open(Path file) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        } catch (NoSuchFileException e) {
            throw new LossSurfaceException(file + " does not exist. Give the folder holding the four MNIST files ("
                    + MnistFile.allNames() + ", raw or .gz) with --set mnist.dir=FOLDER.");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static LossSurfaceException unreadable(Path file, IOException e) {
        if (e instanceof ZipException || e instanceof java.io.EOFException) {
            return new LossSurfaceException(file + " is gzip-compressed but cannot be decompressed (" + e.getMessage()
                    + "): the file is truncated or damaged." + FIX, e);
        }
        return new LossSurfaceException("Cannot read " + file + ": " + e + ". Check that the file exists and is readable.", e);
    }

    /** Reads the big-endian int that ends at byte {@code end} of the file. */
    private static int header(InputStream in, Path file, int end, String what) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new LossSurfaceException(file + " ends after " + (end - 4 + b.length)
                    + " bytes, inside the IDX header (before the " + what + "): the file is truncated or not an IDX file."
                    + FIX);
        }
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static void checkMagic(Path file, int magic, int expected, String kind, int other, String otherKind) {
        if (magic == expected) {
            return;
        }
        String found = hex(magic);
        if (magic == other) {
            throw new LossSurfaceException(file + " is " + otherKind + " (magic number " + found + "), expected " + kind
                    + " (" + hex(expected) + "). Are the images and labels files swapped? The images are *-images-idx3-ubyte,"
                    + " the labels *-labels-idx1-ubyte.");
        }
        throw new LossSurfaceException(file + " does not start with the IDX magic number of " + kind + ": found " + found
                + ", expected " + hex(expected) + ". It is not an MNIST IDX file, or it is damaged." + FIX);
    }

    private static void checkCount(Path file, int count, String what) {
        if (count <= 0) {
            throw new LossSurfaceException(file + " announces " + Integer.toUnsignedString(count) + " " + what
                    + " in its header; expected at least 1. The header is damaged." + FIX);
        }
    }

    /** Reads exactly {@code expected} bytes after a header of {@code headerBytes}, and checks nothing follows. */
    private static byte[] body(InputStream in, Path file, int headerBytes, long expected, String announced) throws IOException {
        if (expected > Integer.MAX_VALUE - 64) {
            throw new LossSurfaceException(file + " announces " + announced + " (" + expected
                    + " bytes), more than this reader can hold. It is not an MNIST IDX file." + FIX);
        }
        byte[] data = in.readNBytes((int) expected);
        if (data.length < expected) {
            throw new LossSurfaceException(String.format(Locale.ROOT,
                    "%s is truncated: its header announces %s (%d bytes after the %d-byte header) but the file holds only"
                            + " %d.%s", file, announced, expected, headerBytes, data.length, FIX));
        }
        long extra = 0;
        while (true) {
            long skipped = in.skip(1 << 20);
            if (skipped > 0) {
                extra += skipped;
            } else if (in.read() >= 0) {
                extra++;
            } else {
                break;
            }
        }
        if (extra > 0) {
            throw new LossSurfaceException(String.format(Locale.ROOT,
                    "%s holds %d bytes more than its header announces (%s, %d bytes after the %d-byte header):"
                            + " the header and the data do not match.%s", file, extra, announced, expected, headerBytes, FIX));
        }
        return data;
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%08X", value);
    }
}
