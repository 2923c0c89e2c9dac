/** A form or action error, announced to screen readers immediately. */
export function ErrorLine({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="error-line" role="alert">
      {message}
    </p>
  );
}
