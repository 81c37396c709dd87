import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../api/ApiError';

interface State {
  error: unknown;
}

/** The last line of defence against a blank page: whatever broke, the user reads what happened and can reload. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('ListSync crashed', error, info.componentStack);
  }

  render() {
    if (this.state.error === null) return this.props.children;
    return (
      <main className="page">
        <p className="error" role="alert">Something went wrong: {errorMessage(this.state.error)}</p>
        <button type="button" onClick={() => window.location.reload()}>Reload</button>
      </main>
    );
  }
}
