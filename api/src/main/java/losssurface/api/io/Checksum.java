package losssurface.api.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of numeric arrays, as their little-endian bytes (the bytes a {@code .npy} file holds),
 * for saying whether two runs used the same parameters or data. Not thread-safe.
 */
public final class Checksum {

    private final MessageDigest digest;

    public Checksum() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Adds an array: {@code float[]}, {@code double[]}, {@code int[]}, {@code boolean[]} or {@code byte[]}. */
    public Checksum add(Object array) {
        ByteBuffer b;
        if (array instanceof float[] v) {
            b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
        } else if (array instanceof double[] v) {
            b = ByteBuffer.allocate(v.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(v);
        } else if (array instanceof int[] v) {
            b = ByteBuffer.allocate(v.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(v);
        } else if (array instanceof boolean[] v) {
            b = ByteBuffer.allocate(v.length);
            for (boolean x : v) {
                b.put((byte) (x ? 1 : 0));
            }
        } else if (array instanceof byte[] v) {
            b = ByteBuffer.wrap(v);
        } else {
            throw new IllegalArgumentException("cannot checksum a " + (array == null ? "null" : array.getClass().getSimpleName()));
        }
        digest.update(b.array());
        return this;
    }

    /** The checksum so far, as 64 hex digits. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of one array. */
    public static String of(Object array) {
        return new Checksum().add(array).hex();
    }
}
