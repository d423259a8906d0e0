import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { ApiError, importDocument } from '../../api.js';
import { editorPath, navigate } from '../../router.js';
import './import-button.css';

const ACCEPT = '.docx,.txt,.md,.markdown,.html,.htm';
const ACCEPTED = /\.(docx|txt|md|markdown|html?)$/i;

type ImportState =
  | { status: 'idle' }
  | { status: 'uploading'; fileName: string; percent: number }
  | { status: 'converting'; fileName: string }
  | { status: 'error'; message: string };

/**
 * "Import…": a file from the picker, or dropped anywhere on the document list,
 * becomes a new document, which then opens, the upload showing its
 * percentage (importDocument in client/api.ts).
 */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<ImportState>({ status: 'idle' });
  const [dragging, setDragging] = useState(false);
  const busy = state.status === 'uploading' || state.status === 'converting';

  const start = (file: File) => {
    if (busy) return;
    if (!ACCEPTED.test(file.name)) {
      setState({ status: 'error', message: `"${file.name}" cannot be imported: choose a Word (.docx), text (.txt), Markdown (.md) or HTML file.` });
      return;
    }
    setState({ status: 'uploading', fileName: file.name, percent: 0 });
    upload(file, {
      progress: (percent) =>
        setState(percent < 100 ? { status: 'uploading', fileName: file.name, percent } : { status: 'converting', fileName: file.name }),
      done: (id) => navigate(editorPath(id)),
      failed: (message) => setState({ status: 'error', message }),
    });
  };

  useDropAnywhere(start, setDragging);

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) start(file);
  };

  return (
    <div className="import-button">
      <button type="button" className="button" data-testid="import-button" disabled={busy} onClick={() => input.current?.click()}>
        {busy ? 'Importing…' : 'Import…'}
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        data-testid="import-input"
        onChange={picked}
        className="visually-hidden"
        tabIndex={-1}
        aria-label="File to import"
      />
      {state.status === 'uploading' && (
        <span className="form__hint" role="status" data-testid="import-progress">
          Uploading {state.fileName}… {state.percent}%
        </span>
      )}
      {state.status === 'converting' && (
        <span className="form__hint" role="status" data-testid="import-progress">
          Converting {state.fileName}…
        </span>
      )}
      {state.status === 'error' && (
        <p className="form__error import-button__error" role="alert" data-testid="import-error">
          {state.message}
        </p>
      )}
      {dragging && (
        <div className="import-drop-zone" aria-hidden="true" data-testid="import-drop-zone">
          Drop the file to import it as a new document
        </div>
      )}
    </div>
  );
}

/** Files dragged over the page show the drop zone; a file dropped anywhere on it is imported. */
function useDropAnywhere(onFile: (file: File) => void, setDragging: (on: boolean) => void) {
  const latest = useRef(onFile);
  latest.current = onFile;
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      // Without this the browser would open the file instead of dropping it here.
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) latest.current(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [setDragging]);
}

function upload(
  file: File,
  on: { progress: (percent: number) => void; done: (id: string) => void; failed: (message: string) => void },
): void {
  importDocument(file, on.progress).then(
    (created) => on.done(created.id),
    (err: unknown) => on.failed(err instanceof ApiError ? err.message : 'The import failed. Try again.'),
  );
}
