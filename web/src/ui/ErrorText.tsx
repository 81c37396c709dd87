import { errorMessage } from '../api/ApiError';

/** An API or network error in words (the problem+json `detail` when the server sent one). */
export function ErrorText({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) return null;
  return <p className="error" role="alert" data-testid={testId ?? 'error'}>{errorMessage(error)}</p>;
}
