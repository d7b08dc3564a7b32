package org.kextkit.junit.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.scheduler.KernelEntry;

/**
 * A typed view of a driver the kernel loaded, through an interface of the test's: each interface
 * method calls the driver's public method of the same name and parameter types, entering the kernel
 * first as a kernel thread would. The test's copy of the driver class is a different class (another
 * loader), so a cast could never work; this needs none.
 */
public final class DriverForwarding {
    private DriverForwarding() {
    }

    /**
     * Return {@code driver} seen through {@code api}.
     *
     * @throws ExtensionConfigurationException naming every method of {@code api} the driver lacks
     */
    public static <T> T forward(HostedKernel kernel, Object driver, Class<T> api) {
        if (!api.isInterface()) {
            throw new ExtensionConfigurationException(api.getName() + " is not an interface; a driver is seen through an"
                    + " interface of the test's whose methods it has by name and parameter types");
        }
        Map<Method, MethodHandle> targets = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Method method : api.getMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            try {
                // A method handle, not Method.invoke: after a few calls core reflection generates an accessor
                // class that would have to resolve JDK internals through the kext's loader.
                targets.put(method, MethodHandles.publicLookup()
                        .unreflect(driver.getClass().getMethod(method.getName(), method.getParameterTypes())).bindTo(driver));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                missing.add(method.getName() + signature(method));
            }
        }
        if (!missing.isEmpty()) {
            throw new ExtensionConfigurationException(driver.getClass().getName() + " has no public method "
                    + String.join(", ", missing) + " for " + api.getName() + "; each method of the interface must match"
                    + " a public method of the driver by name and parameter types (JDK and kit types only)");
        }
        Object proxy = Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> api.getSimpleName() + " view of " + driver;
                };
            }
            if (method.isDefault()) {
                return java.lang.reflect.InvocationHandler.invokeDefault(self, method, args);
            }
            try (KernelEntry entry = kernel.scheduler().enter()) {
                return targets.get(method).invokeWithArguments(args == null ? new Object[0] : args);
            }
        });
        return api.cast(proxy);
    }

    private static String signature(Method method) {
        List<String> types = new ArrayList<>();
        for (Class<?> type : method.getParameterTypes()) {
            types.add(type.getSimpleName());
        }
        return "(" + String.join(", ", types) + ")";
    }
}
