package dev.cairn.state.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The asynchronous snapshot parts a backend handed out and that have not finished; {@link #cancelAll()} on close
 * makes every one of them end as cancelled. Thread-safe: tasks finish on snapshot threads.
 */
public final class InFlightSnapshots {
    private final Set<Future<?>> running = ConcurrentHashMap.newKeySet();

    /**
     * Tracks {@code task} until {@link #finished} is called for it (from the task's completion hook).
     *
     * @param <F> the task type
     * @param task the task
     * @return the task
     */
    public <F extends Future<?>> F track(F task) {
        running.add(task);
        return task;
    }

    /**
     * The task completed, failed or was cancelled.
     *
     * @param task a tracked task
     */
    public void finished(Future<?> task) {
        running.remove(task);
    }

    /** Cancels every tracked task (without interrupting: writers check for cancellation between units of work). */
    public void cancelAll() {
        for (Future<?> task : running) {
            task.cancel(false);
        }
        running.clear();
    }

    /** {@return the number of tracked tasks; for tests} */
    public int size() {
        return running.size();
    }
}
