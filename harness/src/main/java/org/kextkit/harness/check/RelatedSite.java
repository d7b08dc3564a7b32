package org.kextkit.harness.check;

/**
 * A second place a finding points at, with its role: where the buffer was allocated, where it was
 * freed, where the other lock was taken first.
 *
 * @param role what happened there, such as {@code allocated}, {@code freed}, {@code first acquired}
 * @param site the place
 */
public record RelatedSite(String role, CodeSite site) {
}
