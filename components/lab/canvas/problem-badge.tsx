// A red count on a node or row that has validation problems; the inspector names them.
export function ProblemBadge({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="lab-problem-badge" title={`${count} problem${count === 1 ? "" : "s"}: select it to see ${count === 1 ? "it" : "them"} in the inspector`} data-testid="problem-badge">
      {count}
    </span>
  );
}
