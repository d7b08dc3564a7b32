/**
 * Threads and time of a hosted kernel: the virtual-time scheduler tests run on (one kernel thread at
 * a time, a clock the test drives, a reproducible order from a seed), entry into the kernel from
 * outside, contained calls into kext code with hang and deadlock reports, and the kernel's own lock.
 *
 * <p>{@link org.kextkit.harness.scheduler.Schedulers#create} chooses the scheduler for a time mode;
 * {@link org.kextkit.harness.scheduler.HostedScheduler} is what the rest of the harness uses.
 */
package org.kextkit.harness.scheduler;
