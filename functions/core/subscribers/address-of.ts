/** The bare address of `"Name" <a@b.example>` or `a@b.example`, as SES reports recipients either way. */
export function addressOf(mailbox: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle ? angle[1]! : mailbox).trim();
}
