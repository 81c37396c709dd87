import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { errorMessage } from '../api/ApiError';
import { useServices } from '../app/services';
import { useSession } from './useSession';

interface Credentials {
  email: string;
  password: string;
  displayName: string;
}

/** Only same-app paths are followed after sign-in, never an outside URL smuggled into `next`. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const { api, session } = useServices();
  const current = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form, setForm] = useState<Credentials>({ email: '', password: '', displayName: '' });
  const submit = useMutation({
    mutationFn: (c: Credentials) =>
      mode === 'signup' ? api.register(c) : api.login({ email: c.email, password: c.password }),
    onSuccess: (auth) => session.signIn(auth),
  });

  if (current) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate(form);
  };
  const field = (key: keyof Credentials) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });
  const otherMode = mode === 'signup' ? 'signin' : 'signup';
  const otherLink = `/${otherMode}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`;

  return (
    <main className="auth">
      <h1 className="brand">ListSync</h1>
      <form className="card auth-form" onSubmit={onSubmit} aria-label={mode === 'signup' ? 'Sign up' : 'Sign in'}>
        <h2>{mode === 'signup' ? 'Create your account' : 'Sign in'}</h2>
        {mode === 'signup' && (
          <label>
            Name
            <input name="displayName" autoComplete="name" required maxLength={100} {...field('displayName')} />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required {...field('email')} />
        </label>
        <label>
          Password
          <input name="password" type="password" required
            autoComplete={mode === 'signup' ? 'new-password' : 'current-password'} {...field('password')} />
        </label>
        {submit.isError && <p role="alert" className="error">{errorMessage(submit.error)}</p>}
        <button type="submit" className="primary" disabled={submit.isPending}>
          {mode === 'signup' ? 'Sign up' : 'Sign in'}
        </button>
        <p className="muted">
          {mode === 'signup' ? 'Already have an account? ' : 'New here? '}
          <Link to={otherLink}>{mode === 'signup' ? 'Sign in' : 'Create an account'}</Link>
        </p>
      </form>
    </main>
  );
}
