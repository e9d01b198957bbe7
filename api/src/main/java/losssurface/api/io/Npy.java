package losssurface.api.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import losssurface.api.NamedArray;

/**
 * NumPy {@code .npy} files (format version 1.0), little-endian, C order: what
 * {@code numpy.load} reads directly. Writes float64, float32, int32 and bool; also reads int64
 * (within int range), int8, int16, uint8 and uint16 as int.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '([<>|][a-z][0-9])', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), *\\}");

    private Npy() {
    }

    /** Writes {@code array} to {@code file} atomically. */
    public static void write(Path file, NamedArray array) throws IOException {
        AtomicFiles.write(file, out -> {
            Object v = array.values();
            String descr;
            int width;
            if (v instanceof double[]) {
                descr = "<f8";
                width = 8;
            } else if (v instanceof float[]) {
                descr = "<f4";
                width = 4;
            } else if (v instanceof int[]) {
                descr = "<i4";
                width = 4;
            } else {
                descr = "|b1";
                width = 1;
            }
            int[] shape = array.shape();
            StringBuilder dims = new StringBuilder();
            for (int d : shape) {
                dims.append(d).append(", ");
            }
            String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, Math.max(0, dims.length() - 2));
            String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
            int total = MAGIC.length + 4 + header.length() + 1;
            int pad = (64 - total % 64) % 64;
            header = header + " ".repeat(pad) + "\n";
            out.write(MAGIC);
            out.write(new byte[] {1, 0});
            int len = header.length();
            out.write(new byte[] {(byte) (len & 0xff), (byte) (len >>> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            int n = length(v);
            ByteBuffer buf = ByteBuffer.allocate(Math.max(1, Math.min(n, 1 << 14) * width)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < width) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                if (v instanceof double[] a) {
                    buf.putDouble(a[i]);
                } else if (v instanceof float[] a) {
                    buf.putFloat(a[i]);
                } else if (v instanceof int[] a) {
                    buf.putInt(a[i]);
                } else {
                    buf.put((byte) (((boolean[]) v)[i] ? 1 : 0));
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /** Reads a file written by {@link #write} or by {@code numpy.save} (little-endian, C order). */
    public static NamedArray read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file.toString());
        }
    }

    /**
     * Reads one array from {@code stream} (e.g. an entry of a {@code .npz} archive), leaving the
     * stream open.
     *
     * @param file the name used in error messages
     */
    public static NamedArray read(InputStream stream, String file) throws IOException {
        {
            DataInputStream in = new DataInputStream(stream);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a .npy file (bad magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            int headerLength = major == 1
                    ? in.readUnsignedByte() | in.readUnsignedByte() << 8
                    : Integer.reverseBytes(in.readInt());
            String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII).trim();
            Matcher m = HEADER.matcher(header);
            if (!m.matches()) {
                throw new IOException(file + ": unsupported .npy header " + header);
            }
            if (m.group(2).equals("True")) {
                throw new IOException(file + ": Fortran-order arrays are not supported; save with C order");
            }
            String[] parts = m.group(3).split(",");
            int[] shape = Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            String descr = m.group(1);
            int width = descr.charAt(2) - '0';
            byte[] data = in.readNBytes(n * width);
            if (data.length != n * width) {
                throw new IOException(file + " is truncated: expected " + n * width + " data bytes, found " + data.length);
            }
            ByteBuffer buf = ByteBuffer.wrap(data).order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            Object values = switch (descr.substring(1)) {
                case "f8" -> {
                    double[] a = new double[n];
                    buf.asDoubleBuffer().get(a);
                    yield a;
                }
                case "f4" -> {
                    float[] a = new float[n];
                    buf.asFloatBuffer().get(a);
                    yield a;
                }
                case "i4" -> {
                    int[] a = new int[n];
                    buf.asIntBuffer().get(a);
                    yield a;
                }
                case "i8" -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = Math.toIntExact(buf.getLong());
                    }
                    yield a;
                }
                case "u1", "i1", "u2", "i2" -> { // small integers, e.g. class labels saved as uint8
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = switch (descr.substring(1)) {
                            case "u1" -> data[i] & 0xff;
                            case "i1" -> data[i];
                            case "u2" -> buf.getShort(2 * i) & 0xffff;
                            default -> buf.getShort(2 * i);
                        };
                    }
                    yield a;
                }
                case "b1" -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = data[i] != 0;
                    }
                    yield a;
                }
                default -> throw new IOException(file + ": unsupported dtype " + descr + " (use float64, float32, an integer type or bool)");
            };
            return new NamedArray(shape, values);
        }
    }

    private static int length(Object v) {
        if (v instanceof double[] a) {
            return a.length;
        } else if (v instanceof float[] a) {
            return a.length;
        } else if (v instanceof int[] a) {
            return a.length;
        }
        return ((boolean[]) v).length;
    }
}
