package org.kextkit.harness.cli;

import java.util.List;
import java.util.Objects;
import org.kextkit.harness.lifecycle.KextReturn;

/**
 * Answer a kernel request: its {@link KextReturn} code and the lines the kernel logged on the way.
 *
 * @param result the outcome; {@link KextReturn#SUCCESS} if the request did what was asked
 * @param messages the kernel's log lines for this request, oldest first
 */
public record KernelResponse(KextReturn result, List<KernelMessage> messages) {
    /** Check the result and copy the messages. */
    public KernelResponse {
        Objects.requireNonNull(result, "result");
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** Return a successful response with the given log lines. */
    public static KernelResponse success(KernelMessage... messages) {
        return new KernelResponse(KextReturn.SUCCESS, List.of(messages));
    }

    /** Return a failed response with the given log lines. */
    public static KernelResponse failure(KextReturn result, KernelMessage... messages) {
        return new KernelResponse(result, List.of(messages));
    }

    /** Return true if the request succeeded. */
    public boolean isSuccess() {
        return result.isSuccess();
    }
}
