package org.kextkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Accept the findings of one check in this test (or every test of this class): they are reported as
 * suppressed, with the reason, and do not fail the test. Other checks still do.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(AllowFindings.class)
public @interface AllowFinding {
    /** The check id, such as {@code LCK-HELD} (docs/checks.md lists them). */
    String check();

    /** Why the finding is acceptable here; required and not blank. */
    String reason();
}
