/**
 * Helpers behind the bundle reader and validator: structural scans of plist text, the DOM check,
 * position lookup, object-graph measurement and template recognition. Not API; the classes may
 * change without notice.
 */
package org.kextkit.harness.bundle.internal;
