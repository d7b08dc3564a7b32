package org.kextkit.harness.cli.internal;

import java.lang.reflect.Constructor;
import org.kextkit.harness.cli.CliInvocation;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Create picocli's objects for one invocation: classes with a {@code (CliInvocation)} constructor
 * get the invocation, everything else is made by picocli's default factory.
 */
public final class CommandFactory implements IFactory {
    private final CliInvocation invocation;

    /** Create a factory for {@code invocation}. */
    public CommandFactory(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        Constructor<K> constructor;
        try {
            constructor = cls.getDeclaredConstructor(CliInvocation.class);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(cls);
        }
        constructor.setAccessible(true);
        return constructor.newInstance(invocation);
    }
}
