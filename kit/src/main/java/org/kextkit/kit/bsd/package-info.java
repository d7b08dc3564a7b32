/**
 * The BSD KPI ({@code com.apple.kpi.bsd}): sysctl variables a kext publishes for user space to read
 * and set.
 *
 * <p>A kext that uses a class of this package must declare {@code com.apple.kpi.bsd} in its
 * {@code OSBundleLibraries}, as a C kext calling {@code sysctl_register_oid} must.
 */
package org.kextkit.kit.bsd;
