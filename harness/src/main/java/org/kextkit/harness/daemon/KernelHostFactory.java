package org.kextkit.harness.daemon;

import org.kextkit.harness.config.KextkitConfig;

/**
 * Boot a hosted kernel for the kernel daemon; the daemon finds its factory through
 * {@link java.util.ServiceLoader} or the {@code --kernel-factory} option of {@link KernelDaemon}.
 *
 * <p>Register an implementation in
 * {@code META-INF/services/org.kextkit.harness.daemon.KernelHostFactory}. With none registered the
 * daemon runs {@link StatusOnlyKernelHost}. An implementation needs a public no-argument constructor.
 */
public interface KernelHostFactory {

    /**
     * Boot a kernel configured by {@code config} (kernel version, extension folders, boot-args).
     * The daemon binds its socket only after this returns, so clients never see a half-booted kernel.
     *
     * @throws org.kextkit.harness.config.ConfigException if the configuration cannot be used (such as a
     *     wrong machine description); the daemon logs its message and exits with status 78
     * @throws Exception if the kernel cannot boot otherwise; the daemon logs it and exits with status 70
     */
    KernelHost boot(KextkitConfig config) throws Exception;
}
