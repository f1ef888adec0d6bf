/** Helpers for this module's HTTP tests (imported by *.test.ts only). */
export interface ErrorJson {
  error: { code: string; message: string; issues?: { path: string; message: string }[] }
}

export async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T
}

export async function errorCode(res: Response): Promise<string> {
  return (await readJson<ErrorJson>(res)).error.code
}
