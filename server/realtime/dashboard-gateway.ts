// The "/" namespace: browsers subscribe to a sweep's room and receive pushed updates. The handshake was
// authenticated (session cookie or api token; see socket-servers.ts); subscribing is a read.
import type { SweepStore } from "../sweeps/sweep-store";
import { sweepRoom, type SubscribeAck } from "./events";
import { BROWSER_MESSAGE_RULES, createMessageBudget, FLOOD_DROPS } from "./message-budget";
import { describeIssues, subscribeSchema } from "./payload-schemas";
import { withAck } from "./socket-args";
import type { DashboardNamespace } from "./publisher";

export function attachDashboardGateway(namespace: DashboardNamespace, sweeps: SweepStore): void {
  namespace.on("connection", (socket) => {
    // Each subscription costs a database read: capped per socket, like workers' messages.
    const budget = createMessageBudget(BROWSER_MESSAGE_RULES);
    socket.on("sweep:subscribe", withAck<SubscribeAck>(async (payload, reply) => {
      if (!budget.take("sweep:subscribe")) {
        if (budget.dropped >= FLOOD_DROPS) socket.disconnect(true);
        return reply({ ok: false, error: "too many subscriptions: slow down" });
      }
      const parsed = subscribeSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: describeIssues(parsed.error) });
      if (!(await sweeps.get(parsed.data.sweepId))) return reply({ ok: false, error: "sweep not found" });
      await socket.join(sweepRoom(parsed.data.sweepId));
      reply({ ok: true });
    }));
    socket.on("sweep:unsubscribe", (payload) => {
      if (!budget.take("sweep:unsubscribe")) return;
      const parsed = subscribeSchema.safeParse(payload);
      if (parsed.success) void socket.leave(sweepRoom(parsed.data.sweepId));
    });
  });
}
