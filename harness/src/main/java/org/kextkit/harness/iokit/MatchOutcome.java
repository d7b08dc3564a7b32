package org.kextkit.harness.iokit;

/**
 * What became of one candidate personality the last time a nub was matched: the probe and start
 * steps of {@code IOService::probeCandidates}, for {@code whymatch} and for tests.
 *
 * @param bundleIdentifier the kext that owns the personality
 * @param personalityName the personality's key in {@code IOKitPersonalities}
 * @param ioClass the {@code IOClass} it names
 * @param category its {@code IOMatchCategory}
 * @param score the score after probe (or after family matching, if it never got to probe)
 * @param result what happened
 * @param detail one line for a person: the exception, the load failure, the client that holds the category
 */
public record MatchOutcome(String bundleIdentifier, String personalityName, String ioClass, String category, int score,
        Result result, String detail) {
    /** The steps a candidate can end at, in the order matching reaches them. */
    public enum Result {
        /** Its category already had a started client when matching began; it was not probed. */
        CATEGORY_TAKEN("not probed"),
        /** Its kext could not be loaded. */
        LOAD_FAILED("kext load failed"),
        /** {@code IOClass} names no class of the kext ("Couldn't alloc class"). */
        CLASS_NOT_FOUND("class not found"),
        /** {@code init} returned false or threw. */
        INIT_FAILED("init failed"),
        /** {@code probe} returned {@code null}. */
        PROBE_DECLINED("probe declined"),
        /** {@code attach} or {@code probe} threw. */
        PROBE_FAILED("probe failed"),
        /** Another candidate of its category started first. */
        LOST("lost to a higher score"),
        /** It waits for resources named in {@code IOResourceMatch}. */
        WAITING_FOR_RESOURCES("waiting for resources"),
        /** {@code start} returned false or threw; the next candidate of its category was tried. */
        START_FAILED("start failed"),
        /** It is the started driver of its category. */
        STARTED("started");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        /** Return a short label, such as {@code start failed}. */
        public String label() {
            return label;
        }
    }
}
