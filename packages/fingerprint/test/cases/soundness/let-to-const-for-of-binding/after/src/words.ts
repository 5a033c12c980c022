export function countWords(text: string) {
  const counts = new Map<string, number>()
  for (const w of text.split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1)
  return [...counts]
}
