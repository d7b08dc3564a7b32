/**
 * The kextfind query language: parsing a kextfind command line into options, search items, a query
 * expression and a report specification, and evaluating them over a
 * {@link org.kextkit.harness.cli.KextCatalog}.
 *
 * <p>picocli cannot express an expression grammar with groups, negation and implicit conjunction, so
 * {@link org.kextkit.harness.cli.kextfind.KextfindQuery#parse} is a small recursive-descent parser;
 * picocli only hands it the raw arguments.
 */
package org.kextkit.harness.cli.kextfind;
