import { ComparePage } from './pages/ComparePage.js';
import { DocumentListPage } from './pages/DocumentListPage.js';
import { EditorPage } from './pages/EditorPage.js';
import { JoinPage } from './pages/JoinPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { ReadingPage } from './pages/ReadingPage.js';
import { ScreenPage } from './pages/ScreenPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { matchRoute, usePathname } from './router.js';

export function App() {
  const route = matchRoute(usePathname());
  switch (route.page) {
    case 'list':
      return <DocumentListPage />;
    case 'editor':
      // Keyed: another document is a fresh Y.Doc, provider and editor.
      return <EditorPage key={route.documentId} documentId={route.documentId} />;
    case 'reading':
      return <ReadingPage key={`${route.documentId}/${route.readingId}`} documentId={route.documentId} readingId={route.readingId} />;
    case 'compare':
      return <ComparePage key={route.documentId} documentId={route.documentId} />;
    case 'screen':
      return <ScreenPage key={route.documentId} documentId={route.documentId} />;
    case 'join':
      return <JoinPage token={route.token} />;
    case 'setup':
      return <SetupPage token={route.token} />;
    case 'sign-in':
      return <SignInPage />;
    case 'not-found':
      return <NotFoundPage message="There is no page at this address." />;
  }
}
