package org.kextkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inject a started driver of the kexts under test into a test or lifecycle method parameter.
 *
 * <p>The driver's class was loaded by the kernel's isolated kext class loader, so it is never the
 * test class path's copy of that class: declare the parameter as {@code IOService} (or another kit
 * class the driver extends), or as an interface of the test's whose methods the driver has by name
 * and parameter types; each call on that interface then enters the kernel as a kernel thread would.
 * A parameter typed as the driver's own class is refused with an explanation.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Driver {
    /**
     * The driver's class: its Java binary name, simple name or I/O Kit class name
     * ({@code com_example_FooDriver}); empty when the kexts under test start exactly one driver class.
     */
    String value() default "";
}
