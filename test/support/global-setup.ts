// Runs once before the suite: the browser and REST tests serve the production dashboard, so build it here
// (only when missing or stale) rather than in each test file, where parallel files would build at once.
import { PROJECT_ROOT } from "../../server/app-server";
import { buildDashboard, dashboardBuildIsCurrent } from "../../server/dashboard-build";

export default function setup(): void {
  if (!dashboardBuildIsCurrent(PROJECT_ROOT)) buildDashboard(PROJECT_ROOT, console.log);
}
