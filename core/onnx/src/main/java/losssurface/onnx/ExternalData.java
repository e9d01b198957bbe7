package losssurface.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import onnx.Onnx;

import losssurface.api.LossSurfaceException;

/**
 * Initializers whose bytes live beside the model file rather than in it: ONNX external data, which PyTorch's default
 * exporter writes ({@code net.onnx.data}) and which models over 2 GB must use. Read as ONNX Runtime reads them, and
 * refused, naming the tensor and the location, before anything is read, when:
 * <ul>
 *   <li>the location is absolute, or leaves the model file's folder (after symbolic links are resolved);</li>
 *   <li>the file is missing, or {@code offset + length} lies past its end;</li>
 *   <li>the length differs from the tensor's declared size (the size limit is checked on that declared size first).</li>
 * </ul>
 * A tensor's bytes are mapped from the file, not copied into a second buffer.
 */
final class ExternalData {

    private ExternalData() {
    }

    /** Where one tensor's bytes are: {@code length} bytes from {@code offset} of {@code file} (resolved, inside the folder). */
    record Region(String tensor, String location, Path file, long offset, long length) {
    }

    /** A data file the model reads, for provenance. */
    record DataFile(String location, long bytes, String sha256) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", location);
            m.put("bytes", bytes);
            m.put("sha256", sha256);
            return m;
        }
    }

    /** Whether {@code t} keeps its bytes outside the model file. */
    static boolean isExternal(Onnx.TensorProto t) {
        return t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL;
    }

    /**
     * The region of external tensor {@code t} of {@code model}, checked.
     *
     * @throws LossSurfaceException naming the model, the tensor and what is wrong
     */
    static Region region(Path model, Onnx.TensorProto t) {
        Map<String, String> keys = new LinkedHashMap<>();
        t.getExternalDataList().forEach(e -> keys.put(e.getKey(), e.getValue()));
        String location = keys.get("location");
        String tensor = "initializer " + t.getName();
        if (location == null || location.isEmpty()) {
            throw refused(model, tensor, "", "names no location for its external data; the file is damaged. Export the model again");
        }
        if (location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*") || Path.of(location).isAbsolute()) {
            throw refused(model, tensor, location, "is an absolute path; external data must lie in the model's folder, named"
                    + " relative to it. Nothing was read from it. Save the model with its data beside it (onnx.save(m, path,"
                    + " save_as_external_data=True, location=\"net.onnx.data\"))");
        }
        Path folder;
        Path real;
        try {
            folder = model.toAbsolutePath().getParent().toRealPath();
            Path target = folder.resolve(location).normalize();
            if (!target.startsWith(folder)) {
                throw refused(model, tensor, location, "leaves the model's folder " + folder + "; nothing was read from it. External"
                        + " data must lie in the model's folder");
            }
            if (!Files.exists(target)) {
                throw refused(model, tensor, location, "does not exist in " + folder + ". Copy the model's data file(s) beside it");
            }
            real = target.toRealPath();
        } catch (IOException e) {
            throw refused(model, tensor, location, "cannot be resolved (" + e.getMessage() + ")");
        }
        if (!real.startsWith(folder)) {
            throw refused(model, tensor, location, "leads, through a symbolic link, to " + real + ", outside the model's folder "
                    + folder + "; nothing was read from it. Copy the data file into the folder instead of linking it");
        }
        if (!Files.isRegularFile(real)) {
            throw refused(model, tensor, location, "is not a regular file");
        }
        long size;
        try {
            size = Files.size(real);
        } catch (IOException e) {
            throw refused(model, tensor, location, "cannot be read (" + e.getMessage() + ")");
        }
        long offset = number(model, tensor, location, keys, "offset", 0);
        long declared = declaredBytes(t);
        long length = number(model, tensor, location, keys, "length", declared >= 0 ? declared : size - offset);
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw refused(model, tensor, location, String.format(java.util.Locale.ROOT, "holds %,d bytes, but the tensor's data is"
                    + " said to lie at offset %,d, length %,d: past its end. The data file is cut short or belongs to another"
                    + " export; copy it again", size, offset, length));
        }
        if (declared >= 0 && length != declared) {
            throw refused(model, tensor, location, String.format(java.util.Locale.ROOT, "gives the tensor %,d bytes, but its shape %s"
                    + " declares %,d; the file is damaged. Export the model again", length, t.getDimsList(), declared));
        }
        return new Region(t.getName(), location, real, offset, length);
    }

    /** The tensor's bytes, mapped from its file, little-endian (as ONNX stores them). */
    static ByteBuffer map(Region r) {
        if (r.length() > Integer.MAX_VALUE) {
            throw new LossSurfaceException("ONNX initializer " + r.tensor() + " holds " + r.length() + " bytes in " + r.location()
                    + ", more than one array holds; the probe reads models of at most 2^31 - 1 bytes per tensor.");
        }
        try (FileChannel channel = FileChannel.open(r.file(), StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, r.offset(), r.length()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read ONNX initializer " + r.tensor() + " from " + r.file() + ": " + e.getMessage(), e);
        }
    }

    /** Each data file {@code regions} read from, once, with its size and SHA-256, by its resolved path. */
    static Map<Path, DataFile> files(Path model, Iterable<Region> regions) {
        Map<Path, String> locations = new LinkedHashMap<>();
        regions.forEach(r -> locations.putIfAbsent(r.file(), r.location()));
        Map<Path, DataFile> out = new LinkedHashMap<>();
        for (Map.Entry<Path, String> e : locations.entrySet()) {
            java.security.MessageDigest sum;
            try {
                sum = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException x) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", x);
            }
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(e.getKey())) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sum.update(buffer, 0, n);
                }
                out.put(e.getKey(), new DataFile(e.getValue(), Files.size(e.getKey()), java.util.HexFormat.of().formatHex(sum.digest())));
            } catch (IOException x) {
                throw new LossSurfaceException("Cannot read the external data " + e.getKey() + " of model " + model + ": "
                        + x.getMessage(), x);
            }
        }
        return out;
    }

    /** The bytes a tensor's shape and type declare, or -1 for a type without a fixed size (strings). */
    static long declaredBytes(Onnx.TensorProto t) {
        long size = switch (t.getDataType()) {
            case 2, 3, 9 -> 1; // uint8, int8, bool
            case 4, 5, 10, 16 -> 2; // uint16, int16, float16, bfloat16
            case 1, 6, 12 -> 4; // float, int32, uint32
            case 7, 11, 13, 14 -> 8; // int64, double, uint64, complex64
            case 15 -> 16; // complex128
            default -> -1;
        };
        if (size < 0) {
            return -1;
        }
        long elements = 1;
        for (long d : t.getDimsList()) {
            elements = Math.multiplyExact(elements, d); // the size limit was checked on these dims first
        }
        return Math.multiplyExact(elements, size);
    }

    private static long number(Path model, String tensor, String location, Map<String, String> keys, String key, long otherwise) {
        String v = keys.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw refused(model, tensor, location, "has " + key + " '" + v + "', not a whole number; the file is damaged");
        }
    }

    private static LossSurfaceException refused(Path model, String tensor, String location, String why) {
        return new LossSurfaceException("Model file " + model + ": " + tensor + "'s external data"
                + (location.isEmpty() ? " " : " location '" + location + "' ") + why + ".");
    }
}
