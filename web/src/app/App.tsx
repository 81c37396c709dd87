import { BrowserRouter, Link, Route, Routes, useNavigate } from 'react-router';
import { AuthPage } from '../auth/AuthPage';
import { RequireAuth } from '../auth/RequireAuth';
import { useSession } from '../auth/useSession';
import { ListPage } from '../items/ListPage';
import { InvitePage } from '../invites/InvitePage';
import { ListsPage } from '../lists/ListsPage';
import { useServices } from './services';
import { ErrorBoundary } from '../ui/ErrorBoundary';

function Header() {
  const session = useSession();
  const { session: store } = useServices();
  const navigate = useNavigate();
  if (!session) return null;
  const signOut = () => {
    store.signOut();
    // Start the next person at the overview, not at the list the previous one had open.
    void navigate('/');
  };
  return (
    <header className="topbar">
      <Link to="/" className="brand">ListSync</Link>
      <span className="who" data-testid="current-user">{session.user.displayName}</span>
      <button type="button" className="ghost" onClick={signOut}>Sign out</button>
    </header>
  );
}

function NotFound() {
  return (
    <main className="page">
      <p className="error" role="alert">There is nothing at this address.</p>
      <Link to="/">Back to your lists</Link>
    </main>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <ErrorBoundary>
        <Header />
        <Routes>
          <Route path="/signin" element={<AuthPage mode="signin" />} />
          <Route path="/signup" element={<AuthPage mode="signup" />} />
          <Route path="/" element={<RequireAuth><ListsPage /></RequireAuth>} />
          <Route path="/lists/:listId" element={<RequireAuth><ListPage /></RequireAuth>} />
          {/* public: it shows what the invite is for before sign-in, and carries the code through it */}
          <Route path="/invite/:code" element={<InvitePage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </ErrorBoundary>
    </BrowserRouter>
  );
}
