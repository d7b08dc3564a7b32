package org.kextkit.junit;

/** How long one hosted kernel lives in a test class. */
public enum KernelLifecycle {
    /** A fresh kernel for every test: tests cannot see each other's state and may run in parallel. */
    PER_METHOD,
    /**
     * One kernel for all the tests of the class, booted before the first and shut down after the
     * last; each test still fails on the findings reported while it ran. Needs a static
     * {@code @RegisterExtension} field or {@link KernelTest}.
     */
    PER_CLASS
}
