package losssurface.nn;

import java.util.SplittableRandom;

/** Seeded orders of examples: the same seed gives the same order on any machine. */
public final class Shuffle {

    private Shuffle() {
    }

    /** A seeded Fisher-Yates shuffle of {@code a}, in place. */
    public static void shuffle(int[] a, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0 .. n-1} in a seeded random order. */
    public static int[] permutation(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a, seed);
        return a;
    }
}
