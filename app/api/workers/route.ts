import { getServices } from "@/server/services";
import { json, withErrors } from "../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withErrors(async () => json({ workers: getServices().workers.list() }));
