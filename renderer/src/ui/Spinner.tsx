export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  const style = { width: size, height: size };
  if (label) return <span className="spinner" style={style} role="status" aria-label={label} />;
  return <span className="spinner" style={style} aria-hidden="true" />;
}

export function LoadingBlock({ label }: { label: string }) {
  return (
    <div className="loading-block" role="status">
      <Spinner size={18} />
      <span>{label}</span>
    </div>
  );
}
