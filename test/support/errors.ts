// Runs an action that must throw and returns what it threw, for assertions on error codes and messages.
export function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
