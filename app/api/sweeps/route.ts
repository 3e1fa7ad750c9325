import { getServices } from "@/server/services";
import { json, readJsonBody, validationFailed, withErrors } from "../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withErrors(async () => json({ sweeps: await getServices().sweeps.list() }));

export const POST = withErrors(async (request: Request) => {
  const parsed = await readJsonBody(request);
  if (!parsed.ok) return parsed.response;
  const result = await getServices().sweeps.create(parsed.body);
  return result.ok ? json({ id: result.id }, 201) : validationFailed(result.errors);
});
