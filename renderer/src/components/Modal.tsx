// A modal dialog: role=dialog + aria-modal, labelled by its title, focus moved in on open and kept inside
// (Tab and Shift+Tab wrap; focus that lands outside is pulled back), given back to what had it on close.
// Escape goes to `onEscape` before any other handler (the app's "leave time travel", the job drawer's
// close): capture on window, registered when the dialog opens, stops it there. Other keys typed in the
// dialog stay in it: the app's `g` shortcuts must not navigate away from a dialog mid-run.
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import './modal.css';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  // Rendered ones only (not inside a closed <details>, not display: none).
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
}

/** Inside another modal dialog stacked over this one (an unknown host key asked mid-flow): not ours to take. */
function inOtherModal(node: EventTarget | null, own: HTMLElement): boolean {
  const other = node instanceof Element ? node.closest('[aria-modal="true"]') : null;
  return other !== null && other !== own;
}

export interface ModalProps {
  title: ReactNode;
  /** Escape (and nothing else: a click beside the dialog does not close it). */
  onEscape: () => void;
  children: ReactNode;
  /** Extra class on the dialog box (its size). */
  className?: string;
  testId?: string;
  describedBy?: string;
}

export function Modal({ title, onEscape, children, className, testId, describedBy }: ModalProps) {
  const box = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const escape = useRef(onEscape);
  useLayoutEffect(() => {
    escape.current = onEscape;
  });

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = box.current;
    if (root && !root.contains(document.activeElement)) {
      const first = root.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(root)[0] ?? root;
      first.focus();
    }
    const onKey = (e: KeyboardEvent) => {
      const el = box.current;
      if (!el || inOtherModal(document.activeElement, el)) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopImmediatePropagation();
        escape.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const list = focusables(el);
      if (list.length === 0) {
        e.preventDefault();
        el.focus();
        return;
      }
      const first = list[0] as HTMLElement;
      const last = list[list.length - 1] as HTMLElement;
      const at = document.activeElement;
      if (e.shiftKey && (at === first || !el.contains(at))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (at === last || !el.contains(at))) {
        e.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (e: FocusEvent) => {
      const el = box.current;
      if (el && e.target instanceof Node && !el.contains(e.target) && !inOtherModal(e.target, el)) (focusables(el)[0] ?? el).focus();
    };
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      if (before && before.isConnected) before.focus();
    };
  }, []);

  // Content replaced under the focus (a step of a flow ends) leaves it on <body>: bring it back in.
  useEffect(() => {
    const root = box.current;
    const at = document.activeElement;
    if (root && (at === null || at === document.body)) (root.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(root)[0] ?? root).focus();
  });

  return (
    <div className="modal-backdrop">
      <div
        ref={box}
        className={`modal${className ? ` ${className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={(e) => e.stopPropagation()}
        data-testid={testId}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}
