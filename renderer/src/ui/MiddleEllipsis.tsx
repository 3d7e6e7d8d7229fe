/**
 * A number cut in its middle, never at its end: INV-ACME-2026-3FA9C1-000012 and …-000013 differ
 * only in their last digits, so a list that cuts the end (text-overflow) shows the same text
 * twice. The head shrinks with an ellipsis; the tail (the last `tail` characters) always shows;
 * the whole number is the element's title, shown on hover, and stays whole for screen readers
 * and for copying.
 */
export function MiddleEllipsis({ text, tail = 8 }: { text: string; tail?: number }) {
  if (text.length <= tail) return <span className="mid-ellipsis">{text}</span>;
  return (
    <span className="mid-ellipsis" title={text} data-full={text}>
      <span className="mid-ellipsis-head">{text.slice(0, -tail)}</span>
      <span className="mid-ellipsis-tail">{text.slice(-tail)}</span>
    </span>
  );
}
