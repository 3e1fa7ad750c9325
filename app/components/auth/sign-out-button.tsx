"use client";
import { postJson } from "@/app/lib/api-client";
import { SIGN_OUT_URL } from "@/app/lib/auth-urls";

export function SignOutButton() {
  const signOut = async () => {
    await postJson(SIGN_OUT_URL).catch(() => {});
    window.location.assign("/login");
  };
  return (
    <button type="button" onClick={() => void signOut()} className="text-tremor-content hover:text-tremor-content-strong dark:text-dark-tremor-content dark:hover:text-dark-tremor-content-strong" data-testid="sign-out">
      Sign out
    </button>
  );
}
