package org.kextkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Run each test of the annotated class against a hosted kernel with the module's kext loaded from
 * its build output ({@code target/classes} and the filtered Info.plist), its drivers matched and
 * started on the simulated machine; after each test the kexts are unloaded and the test fails if the
 * checkers reported anything.
 *
 * <p>For more than these settings (other kexts, extra devices, disabled checks), register a
 * {@link KernelExtension} built with {@link KernelExtension#builder()} in a static field instead.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KernelExtension.class)
public @interface KernelTest {
    /** Whether each test gets a fresh kernel (the default) or the class's tests share one. */
    KernelLifecycle lifecycle() default KernelLifecycle.PER_METHOD;

    /**
     * The machine description plist to boot (a path, relative to the module folder); empty for the
     * built-in default machine: the echo DMA engine in PCI slot 1 and the NIC in slot 2.
     */
    String machine() default "";

    /** The kernel's random seed: a test with the same seed schedules its kernel threads the same way. */
    long seed() default KernelExtension.DEFAULT_SEED;
}
