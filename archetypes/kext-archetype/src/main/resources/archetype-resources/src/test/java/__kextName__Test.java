#set( $node = $kextName.toLowerCase() )
package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kextkit.harness.lifecycle.KernelSysctls;
import org.kextkit.harness.lifecycle.SysctlResult;
import org.kextkit.junit.KernelTest;
import org.kextkit.junit.KextKernel;

/**
 * ${kextName}.kext in a hosted kernel of its own per test, loaded straight from the build output
 * (target/classes and target/kext/Info.plist). After each test the kext is unloaded and the test
 * fails if the checkers found anything: a lock still held, memory or a sysctl left behind, ...
 */
@KernelTest
class ${kextName}Test {
    private static final String LEVEL = "debug.${node}.level";

    @Test
    void startPublishesTheLogLevel(KextKernel kernel) {
        SysctlResult level = kernel.hostedKernel().sysctl().read(LEVEL);

        assertEquals(LEVEL + ": 1", level.line());
        assertTrue(kernel.log().contains("started; " + LEVEL + " is 1"), kernel.log());
    }

    @Test
    void userSpaceSetsTheLevelWithinItsRange(KextKernel kernel) {
        KernelSysctls sysctl = kernel.hostedKernel().sysctl();

        assertEquals(LEVEL + ": 1 -> 3", sysctl.write(LEVEL, "3").line());
        SysctlResult tooHigh = sysctl.write(LEVEL, "9");

        assertFalse(tooHigh.ok(), "9 is out of range");
        assertEquals("3", sysctl.read(LEVEL).value(), "the refused value changed nothing");
    }

    @Test
    void stopWithdrawsTheLevel(KextKernel kernel) {
        String bundleId = kernel.kextsUnderTest().get(0).identifier();

        assertTrue(kernel.hostedKernel().unload(bundleId).isUnloaded(), kernel.log());

        assertEquals("sysctl: unknown oid '" + LEVEL + "'", kernel.hostedKernel().sysctl().read(LEVEL).line());
    }
}
