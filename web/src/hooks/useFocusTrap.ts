import { useEffect, useRef, type RefObject } from 'react';

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusablesIn(node: HTMLElement): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(focusable)].filter((el) => !el.closest('[hidden], [inert]'));
}

/** Focus that went nowhere: its element was removed or disabled, and the browser gave it to <body>. */
function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

/**
 * A modal dialog's focus: it moves into `ref` when mounted, Tab and Shift+Tab cycle inside it,
 * focus that lands outside (a click on the page beneath) is brought back, and on unmount it
 * returns to the element that had it before (the button that opened the dialog).
 *
 * Escape is heard on the document, not on the dialog: when the focused button disappears (a
 * confirmation that closes, "Clear completed" disabled by its own click) the browser moves focus
 * to <body> without a focus event, and a key handler on the dialog would never hear the key. A key
 * pressed while focus is lost brings focus back into the dialog as well.
 */
export function useFocusTrap(ref: RefObject<HTMLElement | null>, options: { onEscape?: () => void } = {}): void {
  const onEscape = useRef(options.onEscape);
  onEscape.current = options.onEscape;

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    node.focus();

    const onKeyDown = (event: KeyboardEvent) => {
      const lost = focusLost();
      if (lost) node.focus();
      if (event.key === 'Escape') {
        if ((lost || node.contains(document.activeElement)) && onEscape.current) {
          event.preventDefault();
          onEscape.current();
        }
        return;
      }
      if (event.key !== 'Tab') return;
      const items = focusablesIn(node);
      const active = document.activeElement;
      if (items.length === 0) {
        event.preventDefault();
        node.focus();
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      const inside = active instanceof Node && node.contains(active);
      if (event.shiftKey && (!inside || active === first || active === node)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (!inside || active === last)) {
        event.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !node.contains(event.target)) node.focus();
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn);
      if (previous?.isConnected) previous.focus();
    };
  }, [ref]);
}
