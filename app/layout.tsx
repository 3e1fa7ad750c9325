import type { Metadata } from "next";
import Link from "next/link";
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
];

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-tremor-border bg-white">
          <nav className="mx-auto flex max-w-screen-2xl items-center gap-8 px-6 py-3">
            <Link href="/" className="text-lg font-bold tracking-tight text-tremor-content-strong">
              Sweep<span className="text-tremor-brand">board</span>
            </Link>
            <ul className="flex gap-5 text-tremor-default font-medium">
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className="text-tremor-content hover:text-tremor-content-strong">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main className="mx-auto max-w-screen-2xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
