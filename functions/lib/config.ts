/**
 * Reads a required environment variable once, at module load, and fails fast with a clear message.
 * Resource names (tables, topics, state machines) come only from the environment, never from `.env` files.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`Environment variable ${name} is required`);
  }
  return value;
}
