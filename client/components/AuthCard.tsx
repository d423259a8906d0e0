import type { ReactNode } from 'react';
import { AppHeader } from './AppHeader.js';
import './auth-card.css';

/** A centred card for signing in, joining and the pages that say someone may not enter. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="app">
      <AppHeader />
      <main className="auth-page">
        <section className="auth-card" aria-labelledby="auth-card-title">
          <h1 id="auth-card-title" className="auth-card__title">
            {title}
          </h1>
          {children}
        </section>
      </main>
    </div>
  );
}
