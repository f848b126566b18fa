/**
 * Collapses concurrent calls for one key into one: while a load for `key` is
 * in flight, later callers share its promise instead of starting their own.
 * Callers put the catalog generation in the key, so a read that began after a
 * write never joins a load that may have started before it.
 */
export function singleFlight() {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, load: () => Promise<T>): Promise<T> {
      const running = inFlight.get(key);
      if (running) return running as Promise<T>;
      const started = load().finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    get size() {
      return inFlight.size;
    },
  };
}
