/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded by the custom server at run time, never bundled: native/wasm assets and Node-only code.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "socket.io",
    "drizzle-orm",
  ],
  // Next's build check would type-check the whole tsconfig project (server, tests, benches), and `npm start`
  // rebuilds the dashboard on demand: a type error anywhere must not stop the app from starting. Types are
  // checked once for the whole repo by `tsc --noEmit -p .` in CI. (Next 16 no longer lints during builds.)
  typescript: { ignoreBuildErrors: true },
  // `next dev` serves its scripts only to the origin it was started for ("localhost"); the tests and many
  // users open http://127.0.0.1:PORT, which would otherwise get a page that never hydrates.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
