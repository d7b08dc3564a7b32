package com.example.hello;

import static org.kextkit.kit.iokit.IOLib.IOLog;
import static org.kextkit.kit.libkern.Libkern.printf;

import org.kextkit.kit.libkern.KernReturn;
import org.kextkit.kit.libkern.KextModule;
import org.kextkit.kit.libkern.KmodInfo;
import com.example.hellolib.Greeter;

/**
 * Start and stop HelloKext: a generic kext that logs through the kernel and uses its library.
 *
 * <p>The executable jar's manifest names this class in {@code Kext-Module-Class}.
 */
public final class HelloModule implements KextModule {
    private Greeter greeter;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        printf("%s %s starting (load tag %d)", kmodInfo.name(), kmodInfo.version(), kmodInfo.id());
        greeter = new Greeter("Hello");
        IOLog("HelloKext: %s", greeter.greet("hosted kernel"));
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOLog("HelloKext: made %d greeting(s); goodbye", greeter.greetings());
        // Releasing the greeter lets HelloLib unload once this kext is gone.
        greeter.release();
        greeter = null;
        printf("%s stopping", kmodInfo.name());
        return KernReturn.KERN_SUCCESS;
    }
}
