import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { decodePrincipal, PRINCIPAL_HEADER } from "@/server/http/principal-header";
import { SignOutButton } from "./components/auth/sign-out-button";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Sweepboard",
  description: "Hyperparameter sweeps for TensorFlow.js image classifiers",
};

const NAV = [
  { href: "/", label: "Sweeps" },
  { href: "/sweeps/new", label: "New sweep" },
  { href: "/models", label: "Models" },
  { href: "/settings", label: "Settings" },
];

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Set by the request gate for the signed-in user (absent on the sign-in pages and with public read access).
  const principal = decodePrincipal((await headers()).get(PRINCIPAL_HEADER));
  const user = principal?.kind === "session" ? principal : null;
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-tremor-border bg-white dark:border-dark-tremor-border dark:bg-dark-tremor-background">
          <nav className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-x-8 gap-y-2 px-6 py-3">
            <Link href="/" className="text-lg font-bold tracking-tight text-tremor-content-strong dark:text-dark-tremor-content-strong">
              Sweep<span className="text-tremor-brand">board</span>
            </Link>
            <ul className="flex flex-wrap gap-x-5 gap-y-1 text-tremor-default font-medium">
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className="text-tremor-content hover:text-tremor-content-strong dark:text-dark-tremor-content dark:hover:text-dark-tremor-content-strong">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
            {user && (
              <div className="ml-auto flex items-center gap-4 text-tremor-default" data-testid="signed-in">
                <span className="text-tremor-content dark:text-dark-tremor-content">{user.name || user.email}</span>
                <SignOutButton />
              </div>
            )}
          </nav>
        </header>
        <main className="mx-auto max-w-screen-2xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
