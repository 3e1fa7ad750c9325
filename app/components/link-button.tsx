import Link from "next/link";
import type { ReactNode } from "react";

const STYLES = {
  primary: "bg-tremor-brand text-white hover:bg-tremor-brand-emphasis border-transparent",
  secondary: "bg-white text-tremor-content-emphasis hover:bg-tremor-background-muted border-tremor-border",
};

/** A navigation link that looks like a Tremor button (Tremor's Button renders a <button>, not a link). */
export function LinkButton({ href, children, variant = "primary", download, testId }: {
  href: string;
  children: ReactNode;
  variant?: keyof typeof STYLES;
  /** Plain <a download> for file downloads, which must bypass client-side navigation. */
  download?: boolean;
  testId?: string;
}) {
  const className = `inline-flex items-center gap-1 rounded-tremor-default border px-3 py-1.5 text-tremor-default font-medium shadow-tremor-input transition-colors ${STYLES[variant]}`;
  if (download) {
    return (
      <a href={href} download className={className} data-testid={testId}>
        {children}
      </a>
    );
  }
  return (
    <Link href={href} className={className} data-testid={testId}>
      {children}
    </Link>
  );
}
