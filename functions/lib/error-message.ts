/** What a thrown value says: its message if it is an Error, else the value as text. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
