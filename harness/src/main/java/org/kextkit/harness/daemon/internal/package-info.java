/** Support the kernel daemon; not API. */
package org.kextkit.harness.daemon.internal;
