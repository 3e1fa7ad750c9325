// Socket.IO hands a handler the sender's arguments with the acknowledgement callback last, however many came before
// it. A handler written as (payload, ack) misses the ack when a client sends no payload or several, and that client
// waits for an answer forever; so handlers take exactly one payload and the ack from the end.
export type Reply<R> = (result: R) => void;

/** Wraps a (payload, reply) handler; a message without exactly one payload is handled with payload `undefined` (which
 *  every schema refuses), and a message without an ack gets a reply that goes nowhere. */
export function withAck<R>(handler: (payload: unknown, reply: Reply<R>) => void): (...args: unknown[]) => void {
  return (...args) => {
    const last = args.at(-1);
    const reply: Reply<R> = typeof last === "function" ? (last as Reply<R>) : () => {};
    const payloads = typeof last === "function" ? args.slice(0, -1) : args;
    handler(payloads.length === 1 ? payloads[0] : undefined, reply);
  };
}
