import { getServices } from "@/server/services";
import { json, withErrors, type IdContext } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withErrors(async (_request: Request, { params }: IdContext) => {
  const { id } = await params;
  const { modelId } = await getServices().models.promote(id);
  return json({ modelId }, 201);
});
