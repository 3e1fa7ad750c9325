// The "/" namespace: browsers subscribe to a sweep's room and receive pushed updates.
import type { SweepStore } from "../sweeps/sweep-store";
import { sweepRoom } from "./events";
import { describeIssues, subscribeSchema } from "./payload-schemas";
import type { DashboardNamespace } from "./publisher";

export function attachDashboardGateway(namespace: DashboardNamespace, sweeps: SweepStore): void {
  namespace.on("connection", (socket) => {
    socket.on("sweep:subscribe", async (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = subscribeSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: describeIssues(parsed.error) });
      if (!(await sweeps.get(parsed.data.sweepId))) return reply({ ok: false, error: "sweep not found" });
      await socket.join(sweepRoom(parsed.data.sweepId));
      reply({ ok: true });
    });
    socket.on("sweep:unsubscribe", (payload) => {
      const parsed = subscribeSchema.safeParse(payload);
      if (parsed.success) void socket.leave(sweepRoom(parsed.data.sweepId));
    });
  });
}
