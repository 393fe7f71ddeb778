/** Configuration wiring: loaders and the StateEnvironment facade (issue 4; empty until then). */
package dev.cairn.config;
