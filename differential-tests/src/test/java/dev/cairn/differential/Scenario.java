package dev.cairn.differential;

import java.util.List;

/** A differential run: the TTL of its states and its steps. */
record Scenario(TtlSetting ttl, List<Op> ops) {}
