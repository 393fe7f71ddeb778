/**
 * Shared implementation for state backends — Cairn's own and third-party ones: the asynchronous snapshot task that
 * ends cancelled when its backend closes, and the copy-on-write key-group tables and heap timers both built-in
 * backends use. Not part of the application API; kept stable for backend implementors only as far as the SPI
 * needs it.
 */
package dev.cairn.state.support;
