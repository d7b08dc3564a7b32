#set( $node = $kextName.toLowerCase() )
package ${package};

import static org.kextkit.kit.bsd.Sysctl.CTLFLAG_ANYBODY;
import static org.kextkit.kit.bsd.Sysctl.CTLFLAG_RW;
import static org.kextkit.kit.bsd.Sysctl.EINVAL;
import static org.kextkit.kit.bsd.Sysctl.sysctl_register_oid;
import static org.kextkit.kit.bsd.Sysctl.sysctl_unregister_oid;
import static org.kextkit.kit.iokit.IOLib.IOLog;

import org.kextkit.kit.bsd.SysctlOid;
import org.kextkit.kit.bsd.SysctlRequest;
import org.kextkit.kit.libkern.KernReturn;
import org.kextkit.kit.libkern.KextModule;
import org.kextkit.kit.libkern.KmodInfo;

/**
 * The start and stop routines of ${kextName}.kext, a generic kext (one without I/O Kit drivers).
 *
 * <p>It publishes one setting for user space, the sysctl {@code debug.${node}.level}: read it with
 * {@code kextkit sysctl debug.${node}.level}, set it with {@code kextkit sysctl debug.${node}.level=2}.
 */
public final class ${kextName} implements KextModule {
    /** The highest log level the kext knows. */
    static final int MAX_LEVEL = 3;

    /** The node every sysctl of this kext lives under: debug.${node}. */
    static final SysctlOid NODE = SysctlOid.SYSCTL_NODE("debug", "${node}", CTLFLAG_RW, "${kextName} settings");

    /** debug.${node}.level: how much the kext logs, 0 to {@value #MAX_LEVEL}. */
    static final SysctlOid LEVEL = SysctlOid.SYSCTL_PROC("debug.${node}", "level", CTLFLAG_RW | CTLFLAG_ANYBODY,
            SysctlOid.Kind.INT, ${kextName}::handleLevel, "log level (0-3)");

    private static volatile int level = 1;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        sysctl_register_oid(NODE);
        sysctl_register_oid(LEVEL);
        IOLog("%s %s started; debug.${node}.level is %d", kmodInfo.name(), kmodInfo.version(), level);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        // Children before their node, and all before the code goes: user space must never reach it.
        sysctl_unregister_oid(LEVEL);
        sysctl_unregister_oid(NODE);
        IOLog("%s stopping", kmodInfo.name());
        return KernReturn.KERN_SUCCESS;
    }

    /** Report the level; take a new one only if it is in range, as a C sysctl handler validates it. */
    static int handleLevel(SysctlOid oid, SysctlRequest request) {
        request.setOldValue(level);
        if (request.isWrite()) {
            int proposed = (Integer) request.newValue();
            if (proposed < 0 || proposed > MAX_LEVEL) {
                return EINVAL;
            }
            level = proposed;
            if (proposed >= 2) {
                IOLog("${kextName}: log level now %d", proposed);
            }
        }
        return 0;
    }
}
