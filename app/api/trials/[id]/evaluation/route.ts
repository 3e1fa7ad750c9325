import { getServices } from "@/server/services";
import { json, withErrors, type IdContext } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The final model's evaluation (confusion matrices, per-class metrics, sample predictions), fetched when a user
 *  opens a trial's detail: too large to push with every trial update. */
export const GET = withErrors(async (_request: Request, { params }: IdContext) => {
  const { id } = await params;
  return json(await getServices().trials.evaluation(id));
});
