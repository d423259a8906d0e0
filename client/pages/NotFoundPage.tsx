import { useEffect } from 'react';
import { AppHeader } from '../components/AppHeader.js';
import { Link } from '../components/Link.js';
import { listPath } from '../router.js';
import './list-page.css';

export function NotFoundPage({ message }: { message: string }) {
  useEffect(() => {
    document.title = 'Not found — Drafting room';
  }, []);
  return (
    <div className="app">
      <AppHeader />
      <main className="list-page">
        <h1>Not found</h1>
        <p className="list-page__message" role="alert">
          {message}
        </p>
        <p>
          <Link href={listPath()}>See all documents</Link>
        </p>
      </main>
    </div>
  );
}
