package org.kextkit.harness.cli;

import java.util.Optional;
import org.kextkit.harness.cli.internal.ToolLog;

/**
 * Fetch a service from the context or explain, in one line, that it is not connected.
 */
final class Services {
    private Services() {
    }

    static KernelPort kernel(CliInvocation invocation, String command, ToolLog log) {
        return require(invocation.context().kernel(), command, "no kernel is connected to this kextkit command line", log);
    }

    static KextInspector inspector(CliInvocation invocation, String command, ToolLog log) {
        return require(invocation.context().inspector(), command, "no kext reader is connected to this kextkit command line", log);
    }

    static KextLibsPort kextLibs(CliInvocation invocation, String command, ToolLog log) {
        return require(invocation.context().kextLibs(), command, "no link checker is connected to this kextkit command line", log);
    }

    static KextChecker kextChecker(CliInvocation invocation, String command, ToolLog log) {
        return require(invocation.context().kextChecker(), command, "no kext checker is connected to this kextkit command line", log);
    }

    private static <T> T require(Optional<T> service, String command, String why, ToolLog log) {
        if (service.isEmpty()) {
            log.error(command + ": " + why + ".");
            return null;
        }
        return service.get();
    }
}
