/** The changelog state backend wrapper (issue 8; empty until then). */
package dev.cairn.changelog;
