package org.kextkit.harness.cli;

import java.util.List;

/**
 * Report a trial link of a kext against the libraries on disk, as {@code kextutil -n} does before it
 * says a kext "appears to be loadable (including linkage for on-disk libraries)".
 *
 * @param linked true if every reference resolved against the kext's declared libraries
 * @param messages what went wrong, one line each (empty when linked); printed at error level
 */
public record TrialLink(boolean linked, List<String> messages) {
    /** Copy the messages. */
    public TrialLink {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** Return a successful trial link. */
    public static TrialLink ok() {
        return new TrialLink(true, List.of());
    }

    /** Return a failed trial link with its messages. */
    public static TrialLink failed(List<String> messages) {
        return new TrialLink(false, messages);
    }
}
