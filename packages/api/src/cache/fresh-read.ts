/**
 * Shares one read among the callers that arrive while it is on its way, but
 * only with callers it can answer: a read sent before a caller arrived may
 * predate a write that finished just before that caller, so such callers
 * wait for the next read, sent as soon as the current one is answered.
 * Every answer is therefore read after its caller asked (linearizable), and
 * under load one read answers a whole wave of callers: at most two are ever
 * in flight or waiting, whatever the number of callers.
 */
export function freshReads<T>(read: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  let next: Promise<T> | undefined;

  const send = (): Promise<T> => {
    const sent = read();
    current = sent;
    const done = () => {
      if (current === sent) current = undefined;
    };
    sent.then(done, done);
    return sent;
  };

  return () => {
    if (current === undefined) return send();
    next ??= current
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = undefined;
        return send();
      });
    return next;
  };
}
