import { useEffect, useId, useRef, type ReactNode } from 'react';
import './modal.css';

type ModalProps = {
  title: string;
  children: ReactNode;
  /** Absent for dialogs that must be answered (e.g. joining a document). */
  onClose?: () => void;
  /** Wide enough for a page preview or a table. */
  wide?: boolean;
};

/**
 * A native modal <dialog>: the browser traps focus, makes the page inert and
 * handles Escape; we only decide whether Escape may close it. A dialog that
 * may be closed has a close button too, in a head that stays in view while a
 * long one (190 invitations) scrolls.
 */
export function Modal({ title, children, onClose, wide = false }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click is on the backdrop; the keyboard's way out is Escape, handled by onCancel.
    <dialog
      ref={ref}
      className={wide ? 'modal modal--wide' : 'modal'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose?.();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself, but so does one on its padding.
        if (event.target !== event.currentTarget) return;
        const box = event.currentTarget.getBoundingClientRect();
        const outside =
          event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
        if (outside) onClose?.();
      }}
    >
      <div className="modal__head">
        <h2 id={titleId} className="modal__title">
          {title}
        </h2>
        {onClose && (
          <button type="button" className="button button--quiet modal__close" onClick={onClose} aria-label="Close" title="Close (Esc)" data-testid="modal-close">
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      {children}
    </dialog>
  );
}
