// Request bodies of the account and token routes (zod): the one definition the routes, services and pages share.
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./passwords";

const email = z.string().trim().toLowerCase().max(254).email("must be an email address");
const name = z.string().trim().min(1, "is required").max(100);
const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH);

export const newUserSchema = z.object({ email, name, password }).strict();
export const setupSchema = newUserSchema.extend({ token: z.string().min(1).max(200) }).strict();
export const newTokenSchema = z.object({ name, scope: z.enum(["api", "worker"]) }).strict();

export type NewUser = z.infer<typeof newUserSchema>;
export type NewToken = z.infer<typeof newTokenSchema>;
