/** Helpers of the report writers; not an API. */
package org.kextkit.harness.check.report.internal;
