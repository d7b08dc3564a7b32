package org.kextkit.harness.cli.kextcheck;

/**
 * How much a {@code .kext.zip} may unpack to before it is refused as a zip bomb. Counted from the
 * bytes actually inflated, never from the sizes the archive's headers claim.
 *
 * @param maxEntries the most entries (files and folders) an archive may hold
 * @param maxTotalBytes the most bytes its files may inflate to, together
 * @param maxRatio the most its contents may outgrow the archive's compressed bytes (checked once more
 *     than {@link #RATIO_FLOOR_BYTES} have been inflated, so small, well-compressed files pass)
 */
public record ArchiveLimits(int maxEntries, long maxTotalBytes, int maxRatio) {
    /** Below this many inflated bytes the ratio is not judged. */
    public static final long RATIO_FLOOR_BYTES = 1L << 20;

    /** 10,000 entries, 512 MiB in all, and at most 100 times the compressed size. */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(10_000, 512L << 20, 100);

    /** Check that every limit is positive. */
    public ArchiveLimits {
        if (maxEntries < 1 || maxTotalBytes < 1 || maxRatio < 1) {
            throw new IllegalArgumentException("archive limits must be positive: " + maxEntries + ", " + maxTotalBytes
                    + ", " + maxRatio);
        }
    }
}
