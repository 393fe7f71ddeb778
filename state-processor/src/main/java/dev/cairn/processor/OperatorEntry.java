package dev.cairn.processor;

/**
 * One element of an operator (non-keyed) state: a list element, or for broadcast state a {@link java.util.Map.Entry}.
 *
 * @param instance the index of the instance whose snapshot holds it
 * @param mode how the state is redistributed on restore: {@code SPLIT_DISTRIBUTE}, {@code UNION} or {@code BROADCAST}
 * @param value the element
 */
public record OperatorEntry(int instance, String mode, Object value) {}
