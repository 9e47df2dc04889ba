/**
 * The comma-separated lists the customer cache stores (markets, unconverted currencies):
 * "AE, SA" -> ["AE", "SA"]; empty or missing -> [].
 */
export function splitList(text: string | null | undefined): string[] {
  return text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}
