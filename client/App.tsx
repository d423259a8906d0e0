import { DocumentListPage } from './pages/DocumentListPage.js';
import { EditorPage } from './pages/EditorPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { matchRoute, usePathname } from './router.js';

export function App() {
  const route = matchRoute(usePathname());
  switch (route.page) {
    case 'list':
      return <DocumentListPage />;
    case 'editor':
      // Keyed: another document is a fresh Y.Doc, provider and editor.
      return <EditorPage key={route.documentId} documentId={route.documentId} />;
    case 'not-found':
      return <NotFoundPage message="There is no page at this address." />;
  }
}
