/** An answer other than 200 that the console gives on purpose; the status lives on the error (as middy's HttpError). */
export class ConsoleHttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 502,
    message: string,
  ) {
    super(message);
    this.name = "ConsoleHttpError";
  }
}

export const badRequest = (message: string) => new ConsoleHttpError(400, message);
export const notFound = (message = "No such page.") => new ConsoleHttpError(404, message);
